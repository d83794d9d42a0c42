import fc from 'fast-check';
import { ENTITY_ID_PATTERN } from '@kairos/contracts';

/**
 * Values a hostile or careless client sends. Each arbitrary here is, by construction, invalid
 * where it is used (the filters say why), so a 2xx answer to it is a finding, not noise.
 */

export const MONGO_OPERATOR_OBJECTS: readonly object[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000) || true' },
  { $regex: '.*' },
  { $in: ['a', 'b'] },
  { $expr: { $eq: [1, 1] } },
];

export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Strings any attacker tries first, mixed with generated Unicode (astral, RTL, NUL...). */
const hostileStrings = fc.oneof(
  fc.constantFrom(
    '$where',
    '$gt',
    '{"$gt":""}',
    '../../etc/passwd',
    '..\\..\\windows',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '\u0000',
    'a\r\nSet-Cookie: x=1',
    '\u202Eevil',
    '😀',
    'ü',
    ' ',
    'a b',
    'a/b',
    'a%2Fb',
    '#',
    '?',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ minLength: 129, maxLength: 600 }),
);

/** Never a valid user or item id (1-128 characters of [A-Za-z0-9._:@-]). */
export const invalidEntityId = hostileStrings.filter(
  (value) => !ENTITY_ID_PATTERN.test(value) && isEncodable(value),
);

/** False for strings with lone surrogates, which no client can put in a URL. */
function isEncodable(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

/** Valid-format ids that name JavaScript or Mongo internals: must be looked up inertly (404). */
export const internalsLookingIds = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '_id',
  'system.indexes',
  'admin',
  '.',
  '..',
);

/** Any JSON value but a string: a wrong type for a string field (null only where required). */
export function nonStringJson(includeNull: boolean): fc.Arbitrary<unknown> {
  const options: Array<fc.Arbitrary<unknown>> = [
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
    fc.constantFrom(...MONGO_OPERATOR_OBJECTS),
  ];
  if (includeNull) options.push(fc.constant(null));
  return fc.oneof(...options);
}

/** Any JSON value but a boolean (and not null: null means "absent" for optional fields). */
export const nonBooleanJson = fc.oneof(
  fc.constantFrom('true', 'false', 0, 1, 'yes', [], {}),
  fc.constantFrom(...MONGO_OPERATOR_OBJECTS),
  fc.string(),
);

/** Strings JSON.parse refuses, as a body-parser in strict mode does (or non-JSON outright). */
export const malformedJson = fc
  .oneof(
    fc.constantFrom(
      '{"userId": ',
      "{'userId': 'u'}",
      '{"a":1,}',
      '{"a":NaN}',
      '{"a":undefined}',
      '[1,2',
      '{"a":"\\x41"}',
      '\u0000{}',
      '{}}',
      '"just a string"',
      '42',
      'true',
      'null',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
    fc.json().map((json) => `${json}garbage`),
  )
  .filter((text) => {
    try {
      // body-parser strict mode only accepts objects and arrays at the top level.
      const parsed: unknown = JSON.parse(text);
      return typeof parsed !== 'object' || parsed === null;
    } catch {
      return text.trim().length > 0;
    }
  });

/** Content types other than JSON (a body with one of these is 415). */
export const nonJsonContentType = fc.constantFrom(
  'text/plain',
  'text/html; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/jsonx',
  'application/javascript',
  'json',
  '*/*',
  'application/json-patch',
);

/** JSON content types with a charset other than UTF-8, which JSON requires (RFC 8259): 415. */
export const unsupportedJsonCharset = fc.constantFrom(
  'application/json; charset=utf-7',
  'application/json; charset=utf-16le',
  'application/json; charset="utf-32"',
  'application/json; charset=',
  'application/json; charset=ebcdic',
  'application/json; charset=x-unknown',
);

/**
 * A JSON text with a reserved key spliced in at the root or one level down. JSON.stringify
 * cannot write an own `__proto__` key from an object literal, so it is spliced as text.
 */
export function withReservedKey(
  body: Record<string, unknown>,
  key: (typeof RESERVED_KEYS)[number],
  nested: boolean,
): string {
  const marker = 'ZZ_RESERVED_KEY_ZZ';
  const poisoned = nested
    ? { ...body, nestedHolder: { [marker]: { isAdmin: true } } }
    : { [marker]: { isAdmin: true, polluted: 'yes' }, ...body };
  return JSON.stringify(poisoned).replaceAll(`"${marker}"`, JSON.stringify(key));
}

/** An object nested deeper than the 32 levels the reserved-key scan walks (refused as a whole). */
export function deeplyNested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** Percent-encodings that do not decode to valid UTF-8 (the router must not throw a 500). */
export const brokenPercentEncoding = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ff%fe');
