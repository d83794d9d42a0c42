import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface HelloProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the bare NestJS hello server (hello.main.ts) as its own process and waits for it.
 * `nodeArgs` go before the script (`--cpu-prof` flags).
 */
export async function startHelloProcess(
  port: number,
  nodeArgs: readonly string[] = [],
): Promise<HelloProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '-r', 'ts-node/register/transpile-only', resolve(__dirname, 'hello.main.ts')],
    {
      cwd: resolve(__dirname, '../../..'),
      env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hello server exited with ${child.exitCode}`);
    const ready = await fetch(`${baseUrl}/hello/probe`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) {
      return {
        child,
        baseUrl,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`hello server did not answer on port ${port} within 60 s`);
}
