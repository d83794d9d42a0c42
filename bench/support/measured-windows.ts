import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * When each profiled process was being measured, on the monotonic clock V8's CPU profiles use
 * (`process.hrtime` and a profile's `startTime`/`timeDeltas` both count CLOCK_MONOTONIC on
 * Linux), so `profile-summary.ts --windows` can leave out start-up, warm-up, the user caching
 * and the other modes' turns, and compare modes on the measured work alone.
 */
export class MeasuredWindows {
  private readonly byProfile: Record<string, Array<[number, number]>> = {};

  measure<T>(profile: string, work: () => Promise<T>): Promise<T> {
    return this.measureAll([profile], work);
  }

  /** One window for several processes measured at the same time. */
  async measureAll<T>(profiles: readonly string[], work: () => Promise<T>): Promise<T> {
    const start = nowMicros();
    try {
      return await work();
    } finally {
      const end = nowMicros();
      for (const profile of profiles) (this.byProfile[profile] ??= []).push([start, end]);
    }
  }

  write(directory: string): void {
    mkdirSync(directory, { recursive: true });
    writeFileSync(resolve(directory, 'windows.json'), JSON.stringify(this.byProfile, null, 2));
  }
}

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1_000n);
}
