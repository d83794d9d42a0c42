import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TargetResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface OpenLoopResult extends TargetResult {
  /** User + system CPU of the generator process, to show how much it took from the server. */
  readonly generatorCpuSeconds: number;
}

interface LoadOptions {
  readonly paths: readonly string[];
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly maxConnections?: number;
  /** Seconds at the same rate before the measured run, not recorded (connections, JIT, caches). */
  readonly warmupSeconds?: number;
}

const sourceDir = path.resolve(__dirname, '../tools/openloop');
const goNeeded =
  'Go 1.22 or newer is needed for the open-loop benchmarks (bench/tools/openloop): ' +
  'install it from https://go.dev/dl/ and put `go` on PATH';

/**
 * Open-loop GETs at a fixed rate with evenly spaced arrivals over a rotating set of paths, sent by
 * the Go generator in bench/tools/openloop: latency from each request's scheduled start (no
 * coordinated omission), percentiles as in bench/recommender/support/latency.ts. It replaced a
 * Node generator whose requests did not leave on time: its 1 ms timer loop and event-loop
 * pauses ended up in the latencies it measured. The generator's CPU is reported so a benchmark can
 * show what it took from the server on a two-core machine.
 */
export async function openLoopGet(
  options: LoadOptions & { readonly baseUrl: string },
): Promise<OpenLoopResult> {
  const { overall } = await generate([options.baseUrl], options);
  return overall;
}

/**
 * The same load spread over several servers in turn (request i to `baseUrls[i % n]`, each at
 * `ratePerSecond`, so n times that in all), with results per server in the order given. Servers
 * measured this way share every moment of the run, so a machine that is faster or slower for a
 * while (other work, where the scheduler put the processes) moves them all alike, where servers
 * measured one after the other each get a different stretch of it.
 */
export async function openLoopGetInTurn(
  options: LoadOptions & { readonly baseUrls: readonly string[] },
): Promise<TargetResult[]> {
  const count = options.baseUrls.length;
  const { targets } = await generate(options.baseUrls, {
    ...options,
    ratePerSecond: options.ratePerSecond * count,
  });
  return targets;
}

async function generate(
  baseUrls: readonly string[],
  options: LoadOptions,
): Promise<{ overall: OpenLoopResult; targets: TargetResult[] }> {
  if (baseUrls.length === 0 || baseUrls.some((url) => url.includes(','))) {
    throw new Error(
      `open-loop load needs one or more base URLs without commas: ${baseUrls.join(' ')}`,
    );
  }
  const binary = await generatorBinary();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'kairos-openloop-run-'));
  try {
    const pathsFile = path.join(workDir, 'paths.txt');
    await writeFile(pathsFile, `${options.paths.join('\n')}\n`);
    const { stdout } = await run(binary, [
      '-base',
      baseUrls.join(','),
      '-paths',
      pathsFile,
      '-rate',
      String(options.ratePerSecond),
      '-seconds',
      String(options.seconds),
      '-max-conns',
      String(options.maxConnections ?? 64),
      '-warmup-seconds',
      String(options.warmupSeconds ?? 0),
    ]);
    return parseResult(stdout);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

let building: Promise<string> | undefined;

/** Builds the generator once per process; the binary is cached per source hash across runs. */
function generatorBinary(): Promise<string> {
  building ??= buildGenerator();
  return building;
}

async function buildGenerator(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of readdirSync(sourceDir).sort()) {
    if (file === 'go.mod' || (file.endsWith('.go') && !file.endsWith('_test.go'))) {
      hash.update(file).update(readFileSync(path.join(sourceDir, file)));
    }
  }
  const cacheDir = path.join(os.tmpdir(), `kairos-openloop-${hash.digest('hex').slice(0, 16)}`);
  const binary = path.join(cacheDir, 'openloop');
  if (existsSync(binary)) return binary;
  await mkdir(cacheDir, { recursive: true });
  // Built under a private name and renamed, so concurrent benchmark processes never run a
  // half-written binary.
  const partial = `${binary}.${process.pid}.partial`;
  await run(await goCommand(), ['build', '-o', partial, '.'], sourceDir);
  await rename(partial, binary);
  return binary;
}

/** `go` on PATH, else the official installer's location, which login shells add but others miss. */
async function goCommand(): Promise<string> {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      await run(candidate, ['version']);
      return candidate;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  throw new Error(goNeeded);
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** Runs a command without blocking the event loop; rejects with its stderr on a non-zero exit. */
function run(command: string, args: readonly string[], cwd?: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout });
      else {
        const status = signal ? `signal ${signal}` : `exit code ${code}`;
        reject(new Error(`${command} ${args.join(' ')} failed (${status}): ${stderr.trim()}`));
      }
    });
  });
}

/** The generator's JSON line; a percentile is null when nothing completed, NaN here. */
function parseResult(stdout: string): { overall: OpenLoopResult; targets: TargetResult[] } {
  const parsed: unknown = JSON.parse(stdout.trim());
  if (typeof parsed !== 'object' || parsed === null) {
    throw new Error(`open-loop generator printed no result object: ${stdout}`);
  }
  const fields = parsed as Record<string, unknown>;
  const targets = fields.targets;
  if (!Array.isArray(targets))
    throw new Error(`open-loop generator result lacks targets: ${stdout}`);
  return {
    overall: {
      ...targetResult(fields, stdout),
      generatorCpuSeconds: numberOrNaN(fields, 'cpuSeconds', stdout),
    },
    targets: targets.map((target: Record<string, unknown>) => targetResult(target, stdout)),
  };
}

function targetResult(fields: Record<string, unknown>, stdout: string): TargetResult {
  return {
    requestsPerSecond: numberOrNaN(fields, 'requestsPerSecond', stdout),
    p50: numberOrNaN(fields, 'p50', stdout),
    p99: numberOrNaN(fields, 'p99', stdout),
    errors: numberOrNaN(fields, 'errors', stdout),
  };
}

function numberOrNaN(fields: Record<string, unknown>, name: string, stdout: string): number {
  const value = fields[name];
  if (value === null) return Number.NaN;
  if (typeof value !== 'number') {
    throw new Error(`open-loop generator result lacks ${name}: ${stdout}`);
  }
  return value;
}
