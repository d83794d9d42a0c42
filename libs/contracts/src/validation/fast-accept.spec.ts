import 'reflect-metadata';
import { type ClassConstructor, plainToInstance, Transform, Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsDefined,
  IsOptional,
  IsString,
  validateSync,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import { ItemUpsertDto } from '../catalog/item-upsert.dto';
import { IngestBatchDto } from '../events/ingest-batch.dto';
import { IngestEventDto } from '../events/ingest-event.dto';
import { UserEventMessage } from '../events/user-event.message';
import { SessionFeaturesRecord } from '../features/session-features.record';
import { acceptFast } from './fast-accept';
import { findReservedKey } from './reserved-keys';
import { VALIDATOR_OPTIONS } from './validate-dto';

/** The authority: what plainToInstance + validateSync with the shared options make of `plain`. */
function fullPath(dto: ClassConstructor<object>, plain: object): object | undefined {
  const instance = plainToInstance(dto, plain);
  return validateSync(instance, VALIDATOR_OPTIONS).length === 0 ? instance : undefined;
}

const REPLACEMENTS: readonly unknown[] = [
  undefined, // the key removed
  null,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  'a b',
  'y'.repeat(300),
  true,
  [],
  ['x'],
  [1],
  [{}],
  {},
  { extra: 1 },
];

/** Every value reachable in `plain`, by path of keys and indices. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([key, child]) =>
    paths(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
  return prefix.length === 0 ? children : [prefix, ...children];
}

/** A copy as JSON.parse makes it (structuredClone's objects come from outside Jest's realm). */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function withValueAt(plain: object, path: (string | number)[], replacement: unknown): object {
  const copy = jsonCopy(plain) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === undefined && Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (replacement === undefined) delete parent[last];
  else parent[last] = jsonCopy(replacement);
  return copy;
}

/** Valid inputs and, from each, variants with one value replaced or one key added. */
function variantsOf(valid: object): object[] {
  const variants: object[] = [valid];
  for (const path of paths(valid)) {
    for (const replacement of REPLACEMENTS) variants.push(withValueAt(valid, path, replacement));
  }
  for (const path of [[], ...paths(valid)]) {
    const container = path.reduce<unknown>(
      (node, key) => (node as Record<string | number, unknown>)[key],
      valid,
    );
    if (typeof container !== 'object' || container === null || Array.isArray(container)) continue;
    for (const key of ['unknown', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const copy = jsonCopy(valid) as Record<string, unknown>;
      const target = path.reduce<Record<string | number, unknown>>(
        (node, step) => node[step] as Record<string | number, unknown>,
        copy,
      );
      Object.defineProperty(target, key, { value: 'x', enumerable: true, configurable: true });
      variants.push(jsonCopy(copy)); // JSON.parse makes `__proto__` an own key, as in a request
    }
  }
  return variants;
}

const sessionFeatures = {
  userId: 'u1',
  window: {
    sessionId: 'u1:1',
    startedAt: 1,
    lastEventAt: 2,
    events: [
      { itemId: 'i1', type: 'view', timestamp: 1 },
      { itemId: 'i2', type: 'rating', value: 4, timestamp: 2 },
    ],
    countsByType: { view: 1, rating: 1 },
    eventCount: 2,
    distinctItems: 2,
  },
  profile: {
    totalsByType: { view: 1 },
    totalEvents: 2,
    sessionCount: 1,
    topItems: [{ key: 'i1', score: 1 }],
    topCategories: [],
  },
  lastEventId: 'e1',
  eventTime: 2,
  processedAt: 3,
};

const CASES: { dto: ClassConstructor<object>; valid: object[] }[] = [
  {
    dto: IngestEventDto,
    valid: [
      { userId: 'u1', itemId: 'i1', type: 'click' },
      {
        eventId: 'e-1',
        userId: 'u1',
        itemId: 'i1',
        type: 'rating',
        value: 5,
        timestamp: '2026-11-22T10:15:30.000Z',
        sessionId: 's1',
        context: { page: 'home' },
      },
      { userId: 'u1', itemId: 'i1', type: 'purchase', value: 12.5, timestamp: 1_700_000_000_000 },
    ],
  },
  {
    dto: UserEventMessage,
    valid: [
      {
        eventId: 'e1',
        userId: 'u1',
        itemId: 'i1',
        type: 'rating',
        value: 3,
        timestamp: 5,
        receivedAt: 6,
        sessionId: 's',
        context: { a: 'b' },
      },
      { eventId: 'e1', userId: 'u1', itemId: 'i1', type: 'view', timestamp: 5, receivedAt: 6 },
    ],
  },
  { dto: SessionFeaturesRecord, valid: [sessionFeatures, { ...sessionFeatures, window: null }] },
  {
    dto: ItemUpsertDto,
    valid: [
      {},
      { title: 't', categories: ['a', 'b'], tags: [], available: false, properties: { p: 1 } },
    ],
  },
  { dto: IngestBatchDto, valid: [{ events: [{ userId: 'u1' }, 3] }] },
];

describe('acceptFast', () => {
  it.each(CASES.map((entry) => [entry.dto.name, entry] as const))(
    '%s: accepts exactly what class-validator accepts, with the same instance',
    (_name, { dto, valid }) => {
      let accepted = 0;
      let refused = 0;
      for (const plain of valid.flatMap(variantsOf)) {
        // Every caller refuses reserved keys first (validateDto, and the HTTP preValidation hook
        // before the pipe): class-transformer drops them silently, so the paths would differ.
        if (findReservedKey(plain) !== null) continue;
        const expected = fullPath(dto, plain);
        const fast = acceptFast(dto, plain);
        if (expected === undefined) {
          expect({ plain, fast }).toEqual({ plain, fast: undefined });
          refused++;
        } else {
          expect({ plain, fast }).toStrictEqual({ plain, fast: expected });
          accepted++;
        }
      }
      // Both outcomes occur, so neither "accept all" nor "accept none" could pass.
      expect(accepted).toBeGreaterThanOrEqual(valid.length);
      expect(refused).toBeGreaterThan(10);
    },
  );

  it('builds nested records as their classes, as plainToInstance does', () => {
    const record = acceptFast(SessionFeaturesRecord, sessionFeatures);
    expect(record?.window?.events[1]?.constructor.name).toBe('SessionWindowEventRecord');
    expect(record?.profile.constructor.name).toBe('SessionProfileRecord');
  });

  it('does not fast-accept classes using what it does not model; class-validator still decides', () => {
    class Trimmed {
      @Transform(({ value }: { value: unknown }) =>
        typeof value === 'string' ? value.trim() : value,
      )
      @IsString()
      label!: string;
    }
    class Counted {
      @Type(() => Number)
      @Allow()
      count!: number;
    }
    class Tagged {
      @Type(() => String)
      @IsArray()
      tags!: Set<string>;
    }
    class Item {
      @IsString()
      name!: string;
    }
    class ItemSet {
      @ValidateNested()
      @Type(() => Item)
      items!: Set<Item>;
    }
    class Async {
      @IsString()
      @IsAsyncTrue()
      name!: string;
    }
    class Undecorated {
      name!: string;
    }
    // Each input passes every check acceptFast would run if it ignored the unmodelled rule.
    const unmodelled: [ClassConstructor<object>, object][] = [
      [Trimmed, { label: ' a ' }],
      [Counted, { count: '5' }],
      [Tagged, { tags: ['a'] }],
      [ItemSet, { items: [{ name: 'a' }] }],
      [Async, { name: 'n' }],
      [Undecorated, { name: 'n' }],
    ];
    for (const [dto, plain] of unmodelled) {
      expect({ dto: dto.name, fast: acceptFast(dto, plain) }).toEqual({
        dto: dto.name,
        fast: undefined,
      });
    }
    expect(fullPath(Trimmed, { label: ' a ' })).toEqual({ label: 'a' });
    expect(fullPath(Counted, { count: '5' })).toEqual({ count: 5 });
    expect((fullPath(ItemSet, { items: [{ name: 'a' }] }) as ItemSet).items).toBeInstanceOf(Set);
  });

  it('plans nothing from a failed class, even in a cycle planned from the failing side', () => {
    class Left {
      // Declared first, so Right is planned (and refers to Left's plan) before `x` fails Left.
      @IsOptional()
      @ValidateNested()
      @Type(() => Right)
      right?: object; // not `Right`: its design type would be read before the class exists

      @IsDefined()
      x!: unknown;
    }
    class Right {
      @IsOptional()
      @ValidateNested()
      @Type(() => Left)
      left?: object;
    }
    expect(acceptFast(Left, { x: 1 })).toBeUndefined(); // @IsDefined is not modelled
    expect(fullPath(Right, { left: {} })).toBeUndefined();
    expect(acceptFast(Right, { left: {} })).toBeUndefined();
  });

  it('follows a class nested in itself', () => {
    class Node {
      @IsString()
      name!: string;

      @IsOptional()
      @ValidateNested()
      @Type(() => Node)
      child?: Node;
    }
    const tree = { name: 'a', child: { name: 'b', child: { name: 'c' } } };
    expect(acceptFast(Node, tree)).toStrictEqual(fullPath(Node, tree));
    expect(acceptFast(Node, { name: 'a', child: { name: 1 } })).toBeUndefined();
  });
});

function IsAsyncTrue(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAsyncTrue',
      async: true,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: { validate: () => Promise.resolve(true) },
    });
}
