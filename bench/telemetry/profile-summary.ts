/**
 * Summarizes the V8 CPU profiles `npm run bench:telemetry -- --cpu-prof-dir DIR` writes: per
 * profile, self time as a share of busy CPU by group (OpenTelemetry, AsyncLocalStorage hooks,
 * garbage collector, the rest) and by module, from the process's first HTTP request on (module
 * loading at startup left out).
 *
 *   npx ts-node --transpile-only bench/telemetry/profile-summary.ts DIR/ingest-*\/*.cpuprofile
 *
 * Shares are counted in samples rather than summed sample intervals: on a loaded machine a
 * process descheduled for a while gets one long interval, charged to whatever ran last.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

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

function summarize(file: string, top: number): void {
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
  for (const id of profile.samples) {
    started ||= underRequest(id);
    const frame = byId.get(id)?.callFrame;
    if (!started || frame === undefined || frame.functionName === '(idle)') continue;
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

const files = process.argv.slice(2);
if (files.length === 0 || files.includes('--help')) {
  console.log('usage: profile-summary.ts <file.cpuprofile>...  (self time by group and module)');
} else {
  for (const file of files) summarize(file, 12);
}
