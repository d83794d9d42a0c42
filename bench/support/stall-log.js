// Preload for benchmarks only: logs every GC pause of at least 2 ms and every event-loop stall of
// at least 15 ms of the process, with wall-clock times, so a latency tail can be lined up with
// what each process was doing. Every Node process of a bench gets it through the environment:
//
//   STALL_LOG_DIR=/tmp/stalls NODE_OPTIONS="-r $PWD/bench/support/stall-log.js" npm run bench:...
//
// One file per process, STALL_LOG_DIR/<script path's last three parts>-<pid>.log, lines
// `<epoch ms> gc <kind> <ms> heap=<MB>` and `<epoch ms> stall <ms>`. The 10 ms probe timer costs
// next to nothing; it is unref'd, so it never keeps a process alive.
'use strict';
const { appendFileSync, mkdirSync } = require('node:fs');
const { PerformanceObserver, performance } = require('node:perf_hooks');

const dir = process.env.STALL_LOG_DIR || '/tmp/stalls';
mkdirSync(dir, { recursive: true });
const script = (process.argv[1] || 'node').split('/').slice(-3).join('_');
const file = `${dir}/${script}-${process.pid}.log`;
const lines = [];
const flush = () => {
  if (lines.length === 0) return;
  appendFileSync(file, `${lines.join('\n')}\n`);
  lines.length = 0;
};
const wallClock = (monotonic) => Math.round(performance.timeOrigin + monotonic);

const GC_KINDS = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-callbacks' };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration < 2) continue;
    const kind = GC_KINDS[entry.detail?.kind] ?? String(entry.detail?.kind);
    const heapMb = Math.round(process.memoryUsage().heapUsed / 1_048_576);
    lines.push(
      `${wallClock(entry.startTime)} gc ${kind} ${entry.duration.toFixed(1)} heap=${heapMb}`,
    );
  }
}).observe({ entryTypes: ['gc'] });

const PROBE_MS = 10;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - PROBE_MS;
  if (late >= 15) lines.push(`${wallClock(now)} stall ${late.toFixed(1)}`);
  last = now;
}, PROBE_MS).unref();
setInterval(flush, 1_000).unref();
process.on('exit', flush);
