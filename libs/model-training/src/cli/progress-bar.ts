/** Where progress goes; process.stderr in the CLIs. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

const BAR_WIDTH = 30;
/** Without a TTY (CI logs, pipes) a line is printed at most this often... */
const PLAIN_INTERVAL_MS = 5_000;
/** ...or at each of these fractions, whichever comes first. */
const PLAIN_STEP = 0.1;
const TTY_REDRAW_MS = 100;

/**
 * A progress bar redrawn in place on a TTY; on anything else plain periodic lines, so logs stay
 * readable. Takes the clock as a parameter so the output is testable.
 */
export class ProgressBar {
  private lastDrawAt = -Infinity;
  private lastPlainFraction = 0;
  private readonly startedAt: number;

  constructor(
    private readonly label: string,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.startedAt = now();
  }

  update(done: number, total: number): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const at = this.now();
    if (this.stream.isTTY === true) {
      if (at - this.lastDrawAt < TTY_REDRAW_MS && fraction < 1) return;
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
      this.stream.write(`\r${this.label} [${bar}] ${this.describe(fraction, done, total, at)}`);
    } else {
      const dueByTime = at - this.lastDrawAt >= PLAIN_INTERVAL_MS;
      const dueByStep = fraction - this.lastPlainFraction >= PLAIN_STEP;
      if (!dueByTime && !dueByStep && fraction < 1) return;
      if (fraction >= 1 && this.lastPlainFraction >= 1) return;
      this.lastPlainFraction = fraction;
      this.stream.write(`${this.label}: ${this.describe(fraction, done, total, at)}\n`);
    }
    this.lastDrawAt = at;
  }

  /** Ends the bar's line on a TTY so the next output starts cleanly. */
  finish(): void {
    if (this.stream.isTTY === true) this.stream.write('\n');
  }

  private describe(fraction: number, done: number, total: number, at: number): string {
    const elapsedSeconds = (at - this.startedAt) / 1000;
    const remaining = fraction > 0 ? (elapsedSeconds / fraction) * (1 - fraction) : NaN;
    const eta = Number.isFinite(remaining) ? ` eta ${remaining.toFixed(0)}s` : '';
    return `${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total} ${elapsedSeconds.toFixed(1)}s${eta}`;
  }
}
