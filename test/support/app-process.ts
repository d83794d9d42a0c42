import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { type AppName } from '@kairos/config';
import { eventually } from './infra';

const root = resolve(__dirname, '../..');

export interface AppProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly output: string[];
  /** SIGKILL: no shutdown hooks, no flush, no commit; what a crash looks like. */
  crash(): Promise<void>;
  stop(): Promise<void>;
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
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
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
