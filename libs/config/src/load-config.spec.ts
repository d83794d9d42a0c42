import { createHash } from 'node:crypto';
import { ConfigValidationError } from './config-validation.error';
import { loadConfig } from './load-config';
import { loadTelemetryConfig } from './telemetry-config';
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
      mongo: { uri: 'mongodb://localhost:27017/kairos', operationTimeoutMs: 30_000 },
      shutdownTimeoutMs: 25_000,
      heapGrowthPercent: 0,
    });
  });

  it('reads the heap growth (0 = V8 decides; the recommender defaults to 30) and refuses one out of range', () => {
    expect(loadConfig('recommender', base).heapGrowthPercent).toBe(30);
    expect(loadConfig('recommender', { ...base, KAIROS_HEAP_GROWTH_PERCENT: '0' })).toMatchObject({
      heapGrowthPercent: 0,
    });
    expect(loadConfig('recommender', { ...base, KAIROS_HEAP_GROWTH_PERCENT: '50' })).toMatchObject({
      heapGrowthPercent: 50,
    });
    for (const bad of ['-1', '301', '1.5', 'lots']) {
      expect(() => loadConfig('recommender', { ...base, KAIROS_HEAP_GROWTH_PERCENT: bad })).toThrow(
        /KAIROS_HEAP_GROWTH_PERCENT/,
      );
    }
  });

  it('reads the MongoDB operation bound and the shutdown deadline, and refuses ones too small', () => {
    const config = loadConfig('recommender', {
      ...base,
      MONGODB_OPERATION_TIMEOUT_MS: '5000',
      KAIROS_SHUTDOWN_TIMEOUT_MS: '10000',
    });
    expect(config.mongo?.operationTimeoutMs).toBe(5_000);
    expect(config.shutdownTimeoutMs).toBe(10_000);
    expect(() =>
      loadConfig('recommender', { ...base, MONGODB_OPERATION_TIMEOUT_MS: '10' }),
    ).toThrow(/MONGODB_OPERATION_TIMEOUT_MS/);
    expect(() =>
      loadConfig('recommender', { ...base, KAIROS_SHUTDOWN_TIMEOUT_MS: 'soon' }),
    ).toThrow(/KAIROS_SHUTDOWN_TIMEOUT_MS/);
  });

  it('parses numbers and lists', () => {
    const config = loadConfig('ingest', {
      KAIROS_AUTH: 'off',
      KAFKA_BROKERS: ' a:1, b:2 ',
      PORT: '8080',
      KAFKA_TOPIC_PARTITIONS: '3',
      KAFKA_TOPIC_PREFIX: 'staging.',
      KAFKA_ACKS: '1',
      KAFKA_FETCH_MIN_BYTES: '16384',
      KAFKA_FETCH_MAX_WAIT_MS: '25',
    });
    expect(config.port).toBe(8080);
    expect(config.kafka).toMatchObject({
      brokers: ['a:1', 'b:2'],
      topicPartitions: 3,
      topicPrefix: 'staging.',
      acks: 1,
      fetchMinBytes: 16_384,
      fetchMaxWaitMs: 25,
    });
    expect(loadConfig('ingest', { KAIROS_AUTH: 'off', KAFKA_BROKERS: 'a:1' }).kafka).toMatchObject({
      fetchMinBytes: 1,
      fetchMaxWaitMs: 5_000,
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
      'a fetch wait past the heartbeat budget',
      { ...base, KAFKA_FETCH_MAX_WAIT_MS: '10000' },
      'KAFKA_FETCH_MAX_WAIT_MS',
    ],
    [
      'a fetch minimum of zero bytes',
      { ...base, KAFKA_FETCH_MIN_BYTES: '0' },
      'KAFKA_FETCH_MIN_BYTES',
    ],
    [
      'a topic setup budget too short to outlast a leader election',
      { ...base, KAFKA_TOPIC_SETUP_TIMEOUT_MS: '100' },
      'KAFKA_TOPIC_SETUP_TIMEOUT_MS',
    ],
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
    [
      'a CORS origin with a path',
      { ...base, KAIROS_CORS_ORIGINS: 'http://a:1/x' },
      'KAIROS_CORS_ORIGINS',
    ],
    [
      'a CORS origin without scheme',
      { ...base, KAIROS_CORS_ORIGINS: 'localhost:3003' },
      'KAIROS_CORS_ORIGINS',
    ],
    ['KAIROS_DEMO neither on nor off', { ...base, KAIROS_DEMO: 'yes' }, 'KAIROS_DEMO'],
    [
      'a demo ingest URL with a path',
      { ...base, KAIROS_DEMO_INGEST_URL: 'http://a:1/v1' },
      'KAIROS_DEMO_INGEST_URL',
    ],
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

  it('turns the demo on with auth off and off with auth on, unless told otherwise', () => {
    expect(loadConfig('recommender', base).demo).toEqual({ enabled: true, ingestUrl: null });
    expect(loadConfig('recommender', { ...base, KAIROS_DEMO: 'off' }).demo.enabled).toBe(false);
    const withKeys = {
      ...base,
      KAIROS_AUTH: 'on',
      KAIROS_API_KEYS: 'web|plain-secret-0123456|admin',
    };
    expect(loadConfig('recommender', withKeys).demo.enabled).toBe(false);
    expect(
      loadConfig('recommender', { ...base, KAIROS_DEMO_INGEST_URL: 'http://localhost:3001/' }).demo
        .ingestUrl,
    ).toBe('http://localhost:3001');
  });

  it('refuses the demo with auth on, saying why', () => {
    const env = {
      ...base,
      KAIROS_AUTH: 'on',
      KAIROS_API_KEYS: 'web|plain-secret-0123456|admin',
      KAIROS_DEMO: 'on',
    };
    expect(() => loadConfig('recommender', env)).toThrow(/KAIROS_DEMO: .*needs KAIROS_AUTH=off/);
  });

  it('reads CORS origins as a list', () => {
    const env = { ...base, KAIROS_CORS_ORIGINS: 'http://localhost:3003, https://shop.example' };
    expect(loadConfig('ingest', env).http.corsOrigins).toEqual([
      'http://localhost:3003',
      'https://shop.example',
    ]);
    expect(loadConfig('ingest', { ...base, KAIROS_CORS_ORIGINS: '*' }).http.corsOrigins).toEqual([
      '*',
    ]);
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

describe('loadTelemetryConfig', () => {
  it('keeps tracing off until an exporter or an endpoint is configured', () => {
    expect(loadTelemetryConfig('ingest', {}).export).toEqual({ kind: 'none' });
    expect(
      loadTelemetryConfig('ingest', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })
        .export,
    ).toEqual({ kind: 'otlp', protocol: 'http/protobuf', endpoint: 'http://collector:4318' });
    expect(
      loadTelemetryConfig('ingest', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_SDK_DISABLED: 'true',
      }).export,
    ).toEqual({ kind: 'none' });
  });

  it('reads span export batching, with defaults, and refuses a bad value naming it', () => {
    expect(loadTelemetryConfig('ingest', {}).batching).toEqual({
      scheduleDelayMs: 5_000,
      exportTimeoutMs: 30_000,
      maxQueueSize: 8_192,
      maxExportBatchSize: 512,
    });
    expect(
      loadTelemetryConfig('ingest', {
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64',
      }).batching,
    ).toMatchObject({ scheduleDelayMs: 200, maxExportBatchSize: 64 });
    expect(() => loadTelemetryConfig('ingest', { OTEL_BSP_MAX_QUEUE_SIZE: '0' })).toThrow(
      /OTEL_BSP_MAX_QUEUE_SIZE/,
    );
  });

  it('reads the sampler, service name and resource attributes', () => {
    const config = loadTelemetryConfig('recommender', {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging, team=recs',
      KAIROS_INSTANCE_ID: 'r-1',
    });
    expect(config).toMatchObject({
      serviceName: 'kairos-recommender',
      instanceId: 'r-1',
      export: { kind: 'otlp', protocol: 'grpc', endpoint: 'http://localhost:4317' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.1,
      resourceAttributes: { 'deployment.environment': 'staging', team: 'recs' },
    });
  });

  it('names every malformed tracing variable', () => {
    expect(() =>
      loadTelemetryConfig('feature', {
        OTEL_TRACES_EXPORTER: 'jaeger',
        OTEL_TRACES_SAMPLER_ARG: '2',
        LOG_FORMAT: 'xml',
      }),
    ).toThrow(/OTEL_TRACES_EXPORTER[\s\S]*OTEL_TRACES_SAMPLER_ARG|LOG_FORMAT/);
  });
});
