#!/usr/bin/env node
// Runs Kairos from the compiled build, rebuilding first when a source file is newer than the build.
//   node scripts/start.mjs                  embedded mode: the whole system in one process (port 3000),
//                                           no Kafka, no MongoDB, state in KAIROS_DATA_DIR (./data)
//   node scripts/start.mjs --distributed    the three apps as separate processes on Kafka + MongoDB
//   node scripts/start.mjs ingest ...       only the apps named, distributed
// In distributed mode, when KAFKA_BROKERS / MONGODB_URI are not set it starts the local broker and
// MongoDB-protocol server with scripts/infra/up.sh first and uses the addresses it writes to .infra/env.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const APPS = ['ingest', 'feature', 'recommender'];
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm start                      embedded: everything in one process on port 3000
       npm run start:distributed      ${APPS.join(', ')} as separate processes
       npm start -- <app>...          only these of ${APPS.join(', ')} (distributed)

Starts from dist/ (building first when sources changed).

Embedded mode needs nothing else: an in-process log and in-memory stores persisted to
KAIROS_DATA_DIR (default ./data), the committed default model and the demo catalog. Without
KAIROS_API_KEYS it runs with KAIROS_AUTH=off (logged loudly).

Distributed mode: without KAFKA_BROKERS and MONGODB_URI in the environment it runs
scripts/infra/up.sh (Kafka + a MongoDB-protocol server on 127.0.0.1, needs java, mvn and go) and
reads the addresses from .infra/env. With Docker, start the stack with \`docker compose up\`.`);
  process.exit(0);
}
const distributed = args.includes('--distributed');
const named = args.filter((arg) => arg !== '--distributed');
const unknown = named.filter((app) => !APPS.includes(app));
if (unknown.length > 0) {
  console.error(`unknown app(s): ${unknown.join(', ')}; expected one of ${APPS.join(', ')}`);
  process.exit(2);
}
const embedded = !distributed && named.length === 0;
const apps = embedded ? ['embedded'] : named.length > 0 ? named : APPS;

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const mains = apps.map((app) => join(root, 'dist/apps', app, 'src/main.js'));
  const built = mains.every(existsSync) ? Math.min(...mains.map((m) => statSync(m).mtimeMs)) : 0;
  const sources = Math.max(
    newestSourceMtime(join(root, 'apps')),
    newestSourceMtime(join(root, 'libs')),
  );
  if (built >= sources) return;
  console.log('[start] building (sources changed since the last build)...');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function readEnvFile(path) {
  const env = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
  return env;
}

function infrastructureEnv() {
  if (embedded) return {};
  const needsMongo = apps.some((app) => app !== 'ingest');
  if (process.env.KAFKA_BROKERS && (!needsMongo || process.env.MONGODB_URI)) return {};
  console.log(
    '[start] KAFKA_BROKERS/MONGODB_URI not set: starting local infrastructure (scripts/infra/up.sh)',
  );
  const up = spawnSync('bash', [join(root, 'scripts/infra/up.sh')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (up.status !== 0) {
    console.error(
      '[start] could not start local infrastructure; set KAFKA_BROKERS and MONGODB_URI, or run `docker compose up`',
    );
    process.exit(up.status ?? 1);
  }
  const envFile = process.env.KAIROS_INFRA_DIR
    ? join(process.env.KAIROS_INFRA_DIR, 'env')
    : join(root, '.infra/env');
  const fromFile = readEnvFile(envFile);
  // Variables the user set win over the file.
  return Object.fromEntries(Object.entries(fromFile).filter(([key]) => !process.env[key]));
}

ensureBuilt();
const env = { ...process.env, ...infrastructureEnv() };
if (!env.KAIROS_API_KEYS && !env.KAIROS_AUTH) {
  // A first local run should work without inventing keys; the apps warn loudly about it.
  console.log('[start] KAIROS_API_KEYS not set: starting with KAIROS_AUTH=off (local use only)');
  env.KAIROS_AUTH = 'off';
}
const children = apps.map((app) => {
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', join(root, 'dist/apps', app, 'src/main.js')],
    {
      cwd: root,
      env,
      stdio: apps.length === 1 ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    },
  );
  if (apps.length > 1) {
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.on('data', (chunk) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines)
          (stream === child.stderr ? process.stderr : process.stdout).write(`[${app}] ${line}\n`);
      });
    }
  }
  return { app, child };
});

let stopping = false;
function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) if (child.exitCode === null) child.kill(signal);
}
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

let exitCode = 0;
await Promise.all(
  children.map(
    ({ app, child }) =>
      new Promise((done) =>
        child.on('exit', (code, signal) => {
          if (!stopping) {
            console.error(
              `[start] ${app} exited (${signal ?? `code ${code}`}); stopping the others`,
            );
            exitCode = code || 1;
            stopAll('SIGTERM');
          }
          done();
        }),
      ),
  ),
);
process.exit(exitCode);
