import { readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; 100 per second on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used so far, from /proc. On a machine shared with
 * other work, CPU time per request moves much less than throughput or latency do, which makes it
 * the steadier measure of what tracing adds.
 */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may itself contain spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return (userTicks + systemTicks) / TICKS_PER_SECOND;
}
