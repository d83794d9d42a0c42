import { ConfigValidationError, loadConfig } from './load-config';
import { DEFAULT_PORTS } from './app-name';

describe('loadConfig', () => {
  const base = { KAFKA_BROKERS: 'localhost:9092', MONGODB_URI: 'mongodb://localhost:27017/kairos' };

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
      KAFKA_BROKERS: ' a:1, b:2 ',
      PORT: '8080',
      KAFKA_TOPIC_PARTITIONS: '3',
      KAFKA_TOPIC_PREFIX: 'staging.',
      KAFKA_ACKS: '1',
    });
    expect(config.port).toBe(8080);
    expect(config.kafka).toMatchObject({ brokers: ['a:1', 'b:2'], topicPartitions: 3, topicPrefix: 'staging.', acks: 1 });
    expect(config.mongo).toBeNull();
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig('ingest', { ...base, PORT: '', KAFKA_TOPIC_PREFIX: '' }).port).toBe(3001);
  });

  const rejections: ReadonlyArray<[string, Record<string, string>, string]> = [
    ['missing KAFKA_BROKERS', { MONGODB_URI: base.MONGODB_URI }, 'KAFKA_BROKERS'],
    ['missing MONGODB_URI for feature', { KAFKA_BROKERS: base.KAFKA_BROKERS }, 'MONGODB_URI'],
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
    expect(() => loadConfig('ingest', { KAFKA_BROKERS: 'k:9092' })).not.toThrow();
  });

  it('reports every problem at once', () => {
    expect(() => loadConfig('recommender', { PORT: 'x' })).toThrow(
      /KAFKA_BROKERS[\s\S]*MONGODB_URI[\s\S]*PORT|PORT[\s\S]*KAFKA_BROKERS/,
    );
  });
});
