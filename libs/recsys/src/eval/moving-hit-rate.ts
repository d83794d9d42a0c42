/** One point of a moving-average curve: after `step` evaluated steps, the mean over the window. */
export interface SeriesPoint {
  readonly step: number;
  readonly value: number;
}

/** Moving average of 0/1 hits over the last `window` steps, sampled every `sampleEvery` steps. */
export class MovingHitRate {
  private readonly ring: Uint8Array;
  private filled = 0;
  private sum = 0;
  private steps = 0;
  readonly points: SeriesPoint[] = [];

  constructor(
    window: number,
    private readonly sampleEvery: number,
  ) {
    this.ring = new Uint8Array(Math.max(1, window));
  }

  add(hit: boolean): void {
    const slot = this.steps % this.ring.length;
    if (this.filled === this.ring.length) this.sum -= this.ring[slot] ?? 0;
    else this.filled++;
    this.ring[slot] = hit ? 1 : 0;
    this.sum += hit ? 1 : 0;
    this.steps++;
    if (this.steps % this.sampleEvery === 0) {
      this.points.push({ step: this.steps, value: this.sum / this.filled });
    }
  }
}
