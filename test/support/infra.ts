/**
 * Gate for tests that need the real broker and/or MongoDB-protocol server started by
 * scripts/infra/up.sh (or docker compose). Outside CI a missing service skips loudly; with
 * REQUIRE_INFRA=1 (set by .ci/run) it fails the run, so CI can never pass by skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type InfraNeed = 'kafka' | 'mongo';

/**
 * After `scripts/infra/up.sh`, `npm test` finds the services through the env file the script
 * writes; variables already set (CI, docker compose users) take precedence.
 */
function loadInfraEnvFile(): void {
  const file = join(infraDir(), 'env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined && !process.env[match[1]]) {
      process.env[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
    }
  }
}
loadInfraEnvFile();

const VARIABLE: Record<InfraNeed, string> = { kafka: 'KAFKA_BROKERS', mongo: 'MONGODB_URI' };

export function describeWithInfra(
  name: string,
  needs: readonly InfraNeed[],
  body: () => void,
): void {
  const missing = needs.map((need) => VARIABLE[need]).filter((variable) => !process.env[variable]);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const reason = `${missing.join(' and ')} not set: start the services with scripts/infra/up.sh and run \`set -a; . .infra/env; set +a\` (or use docker compose)`;
  if (process.env.REQUIRE_INFRA === '1') {
    describe(name, () => {
      it('has the real infrastructure it needs (REQUIRE_INFRA=1)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`\n\n  !!! SKIPPING "${name}": ${reason}\n\n`);
  describe.skip(name, body);
}

export function requireEnv(variable: 'KAFKA_BROKERS' | 'MONGODB_URI'): string {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set`);
  return value;
}

/** A prefix no other test run shares, so tests never see each other's topics or collections. */
export function uniqueTestPrefix(label: string): string {
  const prefix = `t-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}.`;
  issuedPrefixes.push(prefix);
  return prefix;
}

/** Prefixes handed out in this test file; its topics are deleted after it (slow-tests.setup). */
export const issuedPrefixes: string[] = [];

/** Polls until `probe` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

/**
 * Stops or starts one service through scripts/infra (only possible when those scripts started
 * it; docker compose users run these tests with REQUIRE_INFRA unset and they skip). The ports
 * come from the addresses the tests use (KAFKA_BROKERS, MONGODB_URI), so a pair started on other
 * ports (`KAFKA_PORT=29092 MONGO_PORT=47017 up.sh`) comes back on those ports, never on the
 * defaults another pair may hold; an address that is not the one in the infra directory's env
 * file is refused rather than restarting a service the tests do not talk to.
 */
export function infraControl(action: 'up' | 'down', service: 'kafka' | 'mongo'): void {
  const root = resolve(__dirname, '../..');
  execFileSync('bash', [join(root, 'scripts/infra', `${action}.sh`), service], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...managedPorts() },
  });
}

/** KAFKA_PORT and MONGO_PORT of the services the tests use, checked against the infra env file. */
function managedPorts(): { KAFKA_PORT: string; MONGO_PORT: string } {
  const file = join(infraDir(), 'env');
  const managed = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const used = {
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    MONGODB_URI: requireEnv('MONGODB_URI'),
  };
  for (const [variable, value] of Object.entries(used)) {
    if (!managed.split('\n').includes(`${variable}=${value}`)) {
      throw new Error(
        `${variable}=${value} is not the service scripts/infra manages in ${infraDir()}; refusing to stop or start it`,
      );
    }
  }
  return {
    KAFKA_PORT: new URL(`kafka://${used.KAFKA_BROKERS.split(',')[0] ?? ''}`).port,
    MONGO_PORT: new URL(used.MONGODB_URI).port || '27017',
  };
}

function infraDir(): string {
  return process.env.KAIROS_INFRA_DIR ?? resolve(__dirname, '../../.infra');
}

/** True when the local services were started by scripts/infra (they can be stopped by tests). */
export function infraIsManagedLocally(): boolean {
  return existsSync(join(infraDir(), 'pids', 'kafka.pid'));
}

/** MONGODB_URI with a database of the test's own, named after its unique prefix. */
export function scopedMongoUri(prefix: string): string {
  const mongo = new URL(requireEnv('MONGODB_URI'));
  mongo.pathname = `/${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
  return mongo.toString();
}
