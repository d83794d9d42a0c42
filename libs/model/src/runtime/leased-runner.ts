import { type FeatureBatch, type ModelRunner, type ScoredBatch } from '../contract/model-runner';

/** A runner whose native resources must be freed exactly once (OnnxModelRunner). */
export interface ReleasableRunner extends ModelRunner {
  release(): Promise<void>;
}

/**
 * Counts the runs in flight on a runner so it can be retired while serving: after retire(), new
 * runs are refused, runs already started finish, and the session is released when the last one
 * does. `run` takes its reference synchronously, so a caller that picks the active runner and
 * calls `run` in the same tick can never race a swap.
 */
export class LeasedRunner implements ModelRunner {
  private inFlight = 0;
  private retired = false;
  private releasing: Promise<void> | null = null;
  private onReleased: (() => void) | null = null;
  private readonly released = new Promise<void>((resolve) => (this.onReleased = resolve));

  constructor(private readonly runner: ReleasableRunner) {}

  get manifest(): ModelRunner['manifest'] {
    return this.runner.manifest;
  }

  get vocabulary(): ModelRunner['vocabulary'] {
    return this.runner.vocabulary;
  }

  get baseEmbeddings(): ModelRunner['baseEmbeddings'] {
    return this.runner.baseEmbeddings;
  }

  get runsInFlight(): number {
    return this.inFlight;
  }

  get isRetired(): boolean {
    return this.retired;
  }

  run(batch: FeatureBatch): Promise<ScoredBatch> {
    if (this.retired) {
      return Promise.reject(
        new Error(
          `model ${this.manifest.name}/${this.manifest.version} was retired; take the active model again`,
        ),
      );
    }
    this.inFlight++;
    return this.runner.run(batch).finally(() => {
      this.inFlight--;
      if (this.retired && this.inFlight === 0) this.releaseOnce();
    });
  }

  /** Stops new runs; resolves once the last in-flight run finished and the session is freed. */
  retire(): Promise<void> {
    this.retired = true;
    if (this.inFlight === 0) this.releaseOnce();
    return this.released;
  }

  private releaseOnce(): void {
    if (this.releasing !== null) return;
    // A failed native release leaves nothing to retry; the model is out of service either way.
    this.releasing = this.runner.release().catch(() => undefined);
    void this.releasing.then(() => this.onReleased?.());
  }
}
