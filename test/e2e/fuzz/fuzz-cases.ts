import fc from 'fast-check';
import { ALL_ENTRIES_INVALID } from './body-defects';
import { type Endpoint } from './endpoints';
import { type RawOutcome, type RawRequest } from './raw-http';
import {
  authDefects,
  type Defect,
  type DraftRequest,
  type KeysByScope,
  noiseHeaders,
  protocolDefects,
  toRawRequest,
  transportDefects,
} from './request-defects';

export interface FuzzCase {
  readonly request: RawRequest;
  /** Empty only for well-formed requests to public routes (answered 200). */
  readonly defects: readonly string[];
  readonly mayReset: boolean;
}

/** Malformed requests for one endpoint: 1-3 defects drawn from every applicable family. */
export function fuzzCases(endpoint: Endpoint, keys: KeysByScope): fc.Arbitrary<FuzzCase> {
  const families: Array<fc.WeightedArbitrary<Defect>> = [
    { weight: 2, arbitrary: transportDefects(endpoint.body ?? {}) },
    { weight: 1, arbitrary: protocolDefects(endpoint.unservedMethods) },
  ];
  if (endpoint.defects.length > 0) {
    families.push({ weight: 5, arbitrary: fc.oneof(...endpoint.defects) });
  }
  if (endpoint.scope !== 'public') {
    families.push({ weight: 2, arbitrary: authDefects(endpoint.scope, keys) });
  }
  const malformed = fc
    .record({
      defects: fc.array(fc.oneof(...families), { minLength: 1, maxLength: 3 }),
      noise: noiseHeaders,
    })
    .map(({ defects, noise }) => build(endpoint, keys, defects, noise));
  if (endpoint.scope !== 'public') return malformed;
  return fc.oneof(malformed, wellFormedPublic(endpoint));
}

function build(
  endpoint: Endpoint,
  keys: KeysByScope,
  defects: readonly Defect[],
  noise: Record<string, string>,
): FuzzCase {
  const draft: DraftRequest = {
    method: endpoint.method,
    path: endpoint.path,
    query: '',
    headers: {
      ...noise,
      ...(endpoint.scope === 'public' ? {} : { authorization: `Bearer ${keys[endpoint.scope]}` }),
      ...(endpoint.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(endpoint.body === undefined ? {} : { body: JSON.stringify(endpoint.body) }),
  };
  for (const defect of defects) defect.apply(draft);
  draft.path = draft.path.replace('{id}', endpoint.id ?? '');
  return {
    request: toRawRequest(draft),
    defects: defects.map((defect) => defect.name),
    mayReset: defects.some((defect) => defect.mayReset === true),
  };
}

/** Public routes must ignore junk they do not use: any Authorization, query, extra headers. */
function wellFormedPublic(endpoint: Endpoint): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      noise: noiseHeaders,
      authorization: fc.option(fc.string({ minLength: 1, maxLength: 80 }).map((s) => s.trim())),
      query: fc.option(fc.string({ maxLength: 60 })),
    })
    .map(({ noise, authorization, query }) => ({
      request: {
        method: 'GET',
        path:
          query === null ? endpoint.path : `${endpoint.path}?q=${encodeURIComponent(query)}&k=0`,
        headers: {
          ...noise,
          ...(authorization === null || authorization === ''
            ? {}
            : { authorization: authorization.replace(/[^\x20-\x7e]/g, '') }),
        },
      },
      defects: [],
      mayReset: false,
    }));
}

/** Null when the outcome is what the case allows, else why not. */
export function violation(fuzzCase: FuzzCase, outcome: RawOutcome): string | null {
  if (outcome.kind === 'reset') {
    return fuzzCase.mayReset ? null : `connection reset (${outcome.error})`;
  }
  const { status, body } = outcome;
  if (fuzzCase.defects.length === 0) {
    return status === 200 ? null : `public route answered ${status}, expected 200`;
  }
  // Body defects replace each other, so the batch may be the one that went out (202, 0 accepted).
  if (status === 202 && fuzzCase.defects.includes(ALL_ENTRIES_INVALID)) {
    const accepted = (JSON.parse(body) as { accepted?: unknown }).accepted;
    return accepted === 0 ? null : `a batch of invalid entries accepted ${String(accepted)}`;
  }
  if (status < 400 || status >= 500) return `answered ${status}, expected a 4xx`;
  return body === '' ? null : errorBodyProblem(body);
}

/** Refusals from the apps (not from Node's HTTP parser, which sends no body) have one shape. */
function errorBodyProblem(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string'
      ? null
      : `error body without error.code/message: ${body.slice(0, 200)}`;
  } catch {
    return `error body is not JSON: ${body.slice(0, 200)}`;
  }
}
