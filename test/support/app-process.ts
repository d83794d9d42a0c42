import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { type AppName } from '@kairos/config';
import { eventually } from './infra';

const root = resolve(__dirname, '../..');

/**
 * How long a stopped app may take to exit: past its own shutdown deadline
 * (KAIROS_SHUTDOWN_TIMEOUT_MS, 25 s by default), so an app that hangs is killed and reported
 * instead of holding the test run open.
 */
const STOP_DEADLINE_MS = 40_000;

export interface AppProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly output: string[];
  /** SIGKILL: no shutdown hooks, no flush, no commit; what a crash looks like. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Node flags that make an app process write a V8 CPU profile into `dir` when it exits (the
 * benchmarks' `--cpu-prof-dir`); none without a directory.
 */
export function cpuProfileFlags(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * Runs a built app (dist/) as its own process, as in production, and waits until it is ready.
 * `nodeArgs` go before the script (benchmarks pass `--cpu-prof` there; NODE_OPTIONS refuses it).
 */
export async function startAppProcess(
  app: AppName,
  env: Record<string, string>,
  port: number,
  nodeArgs: readonly string[] = [],
): Promise<AppProcess> {
  const main = resolve(root, 'dist/apps', app, 'src/main.js');
  if (!existsSync(main))
    throw new Error(`${main} is missing: run \`npm run build\` first (CI does)`);
  // A leftover process on the port would answer the readiness probe for the new one.
  await assertPortFree(port);
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  copyOutputToLogDir(app, port, child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}`;
  // A process that exits while starting (bad config, locked data directory) fails at once.
  const outcome = await eventually(
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) return 'exited' as const;
      const response = await fetch(`${baseUrl}/health/ready`).catch(() => null);
      return response?.ok ? ('ready' as const) : undefined;
    },
    { timeoutMs: 60_000, what: `${app} on port ${port} to be ready` },
  );
  if (outcome === 'exited') {
    throw new Error(`${app} exited with ${child.exitCode}:\n${output.join('')}`);
  }
  return {
    child,
    baseUrl,
    output,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const inTime = await settlesWithin(exited, STOP_DEADLINE_MS);
      const tail = (): string => output.join('').slice(-2_000);
      if (!inTime) {
        child.kill('SIGKILL');
        await exited;
        throw new Error(
          `${app} on port ${port} did not exit within ${STOP_DEADLINE_MS / 1_000} s of SIGTERM and was killed; last output:\n${tail()}`,
        );
      }
      // A clean stop ends by the signal (Nest re-raises it); status 1 is the shutdown deadline.
      // (Read anew: TypeScript narrowed exitCode to null before the await.)
      const status = child.exitCode as number | null;
      if (status !== null && status !== 0) {
        throw new Error(
          `${app} on port ${port} stopped with status ${status} after SIGTERM; last output:\n${tail()}`,
        );
      }
    },
  };
}

/** Throws when something already listens on `port` (e.g. an app left over from a killed run). */
async function assertPortFree(port: number): Promise<void> {
  const inUse = await new Promise<boolean>((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
  if (inUse) throw new Error(`port ${port} is already in use: stop the process listening there`);
}

/**
 * With KAIROS_TEST_APP_LOG_DIR set, each app process's output also goes to
 * `<dir>/<app>-<port>-<pid>.log`, whole (the in-memory copy is only reported in part), so a
 * slow recovery or a stuck stop can be read afterwards line by line.
 */
function copyOutputToLogDir(app: AppName, port: number, child: ChildProcess): void {
  const dir = process.env.KAIROS_TEST_APP_LOG_DIR;
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(resolve(dir, `${app}-${port}-${child.pid ?? 'unknown'}.log`));
  child.stdout?.pipe(file, { end: false });
  child.stderr?.pipe(file, { end: false });
  child.once('close', () => file.end());
}

/** Whether `promise` settled within `ms` (its timer cleared either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((done) => (timer = setTimeout(() => done(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
