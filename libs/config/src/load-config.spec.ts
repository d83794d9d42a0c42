import { createHash } from 'node:crypto';
import { ConfigValidationError, loadConfig } from './load-config';
import { DEFAULT_PORTS } from './app-name';

describe('loadConfig', () => {
  const base = {
    KAFKA_BROKERS: 'localhost:9092',
    MONGODB_URI: 'mongodb://localhost:27017/kairos',
    KAIROS_AUTH: 'off',
  };

  it('applies documented defaults', () => {
    const config = loadConfig('feature', base);
    expect(config).toMatchObject({
      app: 'feature',
      port: DEFAULT_PORTS.feature,
      logLevel: 'info',
      kafka: {
        brokers: ['localhost:9092'],
        clientId: 'kairos-feature',
        topicPrefix: '',
        topicPartitions: 12,
        replicationFactor: 1,
        acks: -1,
      },
      mongo: { uri: 'mongodb://localhost:27017/kairos' },
    });
  });

  it('parses numbers and lists', () => {
    const config = loadConfig('ingest', {
      KAIROS_AUTH: 'off',
      KAFKA_BROKERS: ' a:1, b:2 ',
      PORT: '8080',
      KAFKA_TOPIC_PARTITIONS: '3',
      KAFKA_TOPIC_PREFIX: 'staging.',
      KAFKA_ACKS: '1',
    });
    expect(config.port).toBe(8080);
    expect(config.kafka).toMatchObject({
      brokers: ['a:1', 'b:2'],
      topicPartitions: 3,
      topicPrefix: 'staging.',
      acks: 1,
    });
    expect(config.mongo).toBeNull();
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig('ingest', { ...base, PORT: '', KAFKA_TOPIC_PREFIX: '' }).port).toBe(3001);
  });

  const rejections: ReadonlyArray<[string, Record<string, string>, string]> = [
    ['missing KAFKA_BROKERS', { ...base, KAFKA_BROKERS: '' }, 'KAFKA_BROKERS'],
    ['missing MONGODB_URI for feature', { ...base, MONGODB_URI: '' }, 'MONGODB_URI'],
    ['auth on without keys', { ...base, KAIROS_AUTH: '' }, 'KAIROS_API_KEYS'],
    ['KAIROS_AUTH neither on nor off', { ...base, KAIROS_AUTH: 'disabled' }, 'KAIROS_AUTH'],
    [
      'malformed API key entry',
      { ...base, KAIROS_AUTH: 'on', KAIROS_API_KEYS: 'web|short' },
      'KAIROS_API_KEYS',
    ],
    ['unknown compression', { ...base, KAFKA_COMPRESSION: 'snappy' }, 'KAFKA_COMPRESSION'],
    [
      'too small max event age',
      { ...base, INGEST_MAX_EVENT_AGE_MS: '10' },
      'INGEST_MAX_EVENT_AGE_MS',
    ],
    ['broker without port', { ...base, KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    ['non-numeric PORT', { ...base, PORT: 'eighty' }, 'PORT'],
    ['PORT out of range', { ...base, PORT: '70000' }, 'PORT'],
    ['zero partitions', { ...base, KAFKA_TOPIC_PARTITIONS: '0' }, 'KAFKA_TOPIC_PARTITIONS'],
    ['unknown acks', { ...base, KAFKA_ACKS: 'some' }, 'KAFKA_ACKS'],
    ['unknown log level', { ...base, LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    ['not a mongodb uri', { ...base, MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    ['unsafe topic prefix', { ...base, KAFKA_TOPIC_PREFIX: 'a/b' }, 'KAFKA_TOPIC_PREFIX'],
  ];

  it.each(rejections)('rejects %s, naming the variable', (_case, env, variable) => {
    let caught: unknown;
    try {
      loadConfig('feature', env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const problems = (caught as ConfigValidationError).problems.map((p) => p.variable);
    expect(problems).toContain(variable);
    expect((caught as Error).message).toContain(variable);
  });

  it('ingest does not require MongoDB', () => {
    expect(() =>
      loadConfig('ingest', { KAFKA_BROKERS: 'k:9092', KAIROS_AUTH: 'off' }),
    ).not.toThrow();
  });

  it('reads API keys, hashing plain secrets and keeping pre-hashed ones', () => {
    const hashed = 'a'.repeat(64);
    const config = loadConfig('ingest', {
      KAFKA_BROKERS: 'k:9092',
      KAIROS_API_KEYS: `web|plain-secret-0123456|events:write; ops|sha256:${hashed.toUpperCase()}|admin,items:write|50`,
    });
    expect(config.http.authEnabled).toBe(true);
    expect(config.http.apiKeys).toEqual([
      {
        name: 'web',
        // sha256("plain-secret-0123456")
        sha256: createHash('sha256').update('plain-secret-0123456').digest('hex'),
        scopes: ['events:write'],
        ratePerSecond: null,
      },
      { name: 'ops', sha256: hashed, scopes: ['admin', 'items:write'], ratePerSecond: 50 },
    ]);
  });

  it.each([
    ['web|plain-secret-0123456|events:read', /unknown scope\(s\) events:read/],
    ['web|sha256:abc|admin', /64 hex digits/],
    ['web|plain-secret-0123456|admin|0', /positive integer/],
    ['w b|plain-secret-0123456|admin', /name may only contain/],
    ['a|plain-secret-0123456|admin;a|other-secret-01234567|admin', /duplicate name a/],
  ])('rejects the API key entry %j without echoing secrets', (keys, reason) => {
    expect(() => loadConfig('ingest', { KAFKA_BROKERS: 'k:9092', KAIROS_API_KEYS: keys })).toThrow(
      reason,
    );
    try {
      loadConfig('ingest', { KAFKA_BROKERS: 'k:9092', KAIROS_API_KEYS: keys });
    } catch (error) {
      expect((error as Error).message).not.toContain('plain-secret');
    }
  });

  it('reports every problem at once', () => {
    expect(() => loadConfig('recommender', { PORT: 'x' })).toThrow(
      /KAFKA_BROKERS[\s\S]*MONGODB_URI[\s\S]*PORT|PORT[\s\S]*KAFKA_BROKERS/,
    );
  });

  describe('modes', () => {
    it('runs the embedded app with nothing set: in-process log, data dir, auth off, port 3000', () => {
      const config = loadConfig('embedded', {});
      expect(config).toMatchObject({
        mode: 'embedded',
        port: 3000,
        http: { authEnabled: false },
        embedded: { fsyncIntervalMs: 1_000, snapshotIntervalMs: 10_000 },
      });
      expect(config.embedded.dataDir).toMatch(/[/\\]data$/);
      expect(config.embedded.demoCatalog).toMatch(/demo[/\\]catalog\.jsonl$/);
      expect(config.mongo).toBeNull();
    });

    it('keeps auth on in embedded mode when keys are given, and disables the demo catalog', () => {
      const config = loadConfig('embedded', {
        KAIROS_API_KEYS: 'web|plain-secret-0123456|events:write',
        KAIROS_DEMO_CATALOG: 'none',
        KAIROS_FSYNC_INTERVAL_MS: '0',
      });
      expect(config.http.authEnabled).toBe(true);
      expect(config.embedded.demoCatalog).toBeNull();
      expect(config.embedded.fsyncIntervalMs).toBe(0);
    });

    it('needs Kafka and MongoDB for the one-process app in distributed mode', () => {
      expect(() =>
        loadConfig('embedded', { KAIROS_MODE: 'distributed', KAIROS_AUTH: 'off' }),
      ).toThrow(/KAFKA_BROKERS[\s\S]*MONGODB_URI/);
    });

    it.each([
      ['a service in embedded mode', 'ingest', { KAIROS_MODE: 'embedded' }, 'KAIROS_MODE'],
      ['an unknown mode', 'embedded', { KAIROS_MODE: 'hybrid' }, 'KAIROS_MODE'],
      [
        'a negative fsync interval',
        'embedded',
        { KAIROS_FSYNC_INTERVAL_MS: '-1' },
        'KAIROS_FSYNC_INTERVAL_MS',
      ],
      [
        'a tiny snapshot interval',
        'embedded',
        { KAIROS_SNAPSHOT_INTERVAL_MS: '5' },
        'KAIROS_SNAPSHOT_INTERVAL_MS',
      ],
    ] as const)('rejects %s, naming the variable', (_case, app, env, variable) => {
      expect(() => loadConfig(app, { KAIROS_AUTH: 'off', ...env })).toThrow(variable);
    });
  });
});
