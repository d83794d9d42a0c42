/**
 * Summarizes the V8 CPU profiles `npm run bench:telemetry -- --cpu-prof-dir DIR` writes: per
 * profile, self time as a share of busy CPU by group (OpenTelemetry, AsyncLocalStorage hooks,
 * garbage collector, the rest) and by module, from the process's first HTTP request on (module
 * loading at startup left out).
 *
 *   npx ts-node --transpile-only bench/telemetry/profile-summary.ts DIR/ingest-*\/*.cpuprofile
 *   npx ts-node --transpile-only bench/telemetry/profile-summary.ts --windows DIR/windows.json \
 *     DIR/recommender-*\/*.cpuprofile
 *
 * With `--windows` (written by the bench next to the profiles), only samples taken while the
 * bench measured that process count: a profile in `DIR/recommender-2/` is cut to the windows
 * listed under `recommender-2`, so start-up, user caching and idle turns drop out.
 *
 * Shares are counted in samples rather than summed sample intervals: on a loaded machine a
 * process descheduled for a while gets one long interval, charged to whatever ran last.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly startTime: number;
  readonly timeDeltas: readonly number[];
}

/** Monotonic microsecond ranges, as bench/support/measured-windows.ts writes them. */
type Windows = ReadonlyArray<readonly [number, number]>;

/** The package, node core module or Kairos lib/app a frame belongs to. */
function moduleOf(functionName: string, url: string): string {
  if (functionName.startsWith('(')) return functionName;
  if (url === '') return '(native)';
  const packages = [...url.matchAll(/node_modules\/((@[^/]+\/)?[^/]+)/g)];
  const innermost = packages.at(-1)?.[1];
  if (innermost !== undefined) return innermost;
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/');
    return `node:${parts.slice(0, parts[0] === 'internal' ? 2 : 1).join('/')}`;
  }
  const ours = /(libs|apps)\/([^/]+)/.exec(url);
  return ours === null ? url : `${ours[1]}/${ours[2]}`;
}

const ASYNC_HOOKS = /^node:(internal\/)?async_hooks|async_local_storage/;

function groupOf(module: string): string {
  if (module.startsWith('@opentelemetry/') || module === 'libs/telemetry') return 'OpenTelemetry';
  if (ASYNC_HOOKS.test(module)) return 'async hooks (AsyncLocalStorage)';
  if (module === '(garbage collector)') return 'garbage collector';
  return 'other';
}

function summarize(file: string, top: number, windows: Windows | undefined): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const servesRequest = new Map<number, boolean>();
  const underRequest = (id: number): boolean => {
    const known = servesRequest.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const result =
      byId.get(id)?.callFrame.functionName === 'parserOnIncoming' ||
      (parent !== undefined && underRequest(parent));
    servesRequest.set(id, result);
    return result;
  };
  const groups = new Map<string, number>();
  const modules = new Map<string, number>();
  let started = false;
  let busy = 0;
  let at = profile.startTime;
  for (const [index, id] of profile.samples.entries()) {
    at += profile.timeDeltas[index] ?? 0;
    started ||= underRequest(id);
    const measured =
      windows === undefined ? started : windows.some(([from, to]) => at >= from && at <= to);
    const frame = byId.get(id)?.callFrame;
    if (!measured || frame === undefined || frame.functionName === '(idle)') continue;
    busy += 1;
    const module = moduleOf(frame.functionName, frame.url);
    modules.set(module, (modules.get(module) ?? 0) + 1);
    const group = groupOf(module);
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  const share = (count: number): string => `${((100 * count) / busy).toFixed(1).padStart(5)}%`;
  const sorted = (counts: Map<string, number>): Array<[string, number]> =>
    [...counts].sort((a, b) => b[1] - a[1]);
  console.log(`${file}: ${busy} busy samples`);
  for (const [group, count] of sorted(groups)) console.log(`  ${share(count)}  ${group}`);
  console.log('  top modules:');
  for (const [module, count] of sorted(modules).slice(0, top)) {
    console.log(`    ${share(count)}  ${module}`);
  }
}

const { values: options, positionals: files } = parseArgs({
  options: { windows: { type: 'string' }, help: { type: 'boolean' } },
  allowPositionals: true,
});
if (files.length === 0 || options.help === true) {
  console.log(
    'usage: profile-summary.ts [--windows DIR/windows.json] <file.cpuprofile>...  (self time by group and module)',
  );
} else {
  const windows =
    options.windows === undefined
      ? undefined
      : (JSON.parse(readFileSync(options.windows, 'utf8')) as Record<string, Windows>);
  for (const file of files) {
    const profileDirectory = basename(dirname(file));
    const own = windows?.[profileDirectory];
    if (windows !== undefined && own === undefined) {
      throw new Error(`${options.windows} lists no windows for ${profileDirectory}`);
    }
    summarize(file, 12, own);
  }
}
