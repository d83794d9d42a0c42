import { type FeatureBatch, type ScoredBatch } from '../contract/model-runner';
import { validManifest } from '../validation/test-manifest';
import { LeasedRunner, type ReleasableRunner } from './leased-runner';

/** A runner whose runs finish when the test says so, recording when its session was freed. */
class ControlledRunner implements ReleasableRunner {
  readonly manifest = validManifest();
  readonly vocabulary: string[] = [];
  readonly baseEmbeddings = new Float32Array();
  readonly finishers: Array<() => void> = [];
  releasedWithRunsPending: number | null = null;

  run(): Promise<ScoredBatch> {
    return new Promise((resolve) => this.finishers.push(() => resolve({ batchSize: 1 })));
  }

  release(): Promise<void> {
    this.releasedWithRunsPending = this.finishers.length;
    return Promise.resolve();
  }
}

const batch = {} as FeatureBatch;

describe('LeasedRunner', () => {
  it('frees the session only after the runs in flight at retirement have finished', async () => {
    const inner = new ControlledRunner();
    const leased = new LeasedRunner(inner);
    const first = leased.run(batch);
    const second = leased.run(batch);
    const retired = leased.retire();
    expect(leased.runsInFlight).toBe(2);
    expect(inner.releasedWithRunsPending).toBeNull();

    inner.finishers.shift()?.();
    await first;
    expect(inner.releasedWithRunsPending).toBeNull();
    inner.finishers.shift()?.();
    await second;
    await retired;
    expect(inner.releasedWithRunsPending).toBe(0);
  });

  it('refuses runs after retirement and releases an idle runner at once, exactly once', async () => {
    const inner = new ControlledRunner();
    const release = jest.spyOn(inner, 'release');
    const leased = new LeasedRunner(inner);
    await leased.retire();
    await leased.retire();
    expect(release).toHaveBeenCalledTimes(1);
    await expect(leased.run(batch)).rejects.toThrow(/retired/);
  });
});
