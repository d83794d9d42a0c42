import { type FeatureBatch, type ScoredBatch } from '../contract/model-runner';
import { type LeasedRunner } from '../runtime/leased-runner';
import { validateVersion, type ValidationOptions } from '../validation/validate-version';
import { listVersionDirectories, type VersionEntry } from './model-directory';
import {
  type ActivationEvent,
  type ActiveModel,
  type ModelRef,
  ModelRegistryError,
  type ModelRegistryHooks,
  type ModelRegistryOptions,
  type RegistrySnapshot,
} from './registry-types';
import { compareVersions } from './version-order';
import { applyOutcome, toInfo, type VersionState, versionKey } from './version-state';

interface Serving {
  readonly state: VersionState;
  readonly runner: LeasedRunner;
}

/**
 * May return a promise: the previous model's runner stays usable until every listener's promise
 * settles (an engine re-seeding its table keeps running batches on the old model meanwhile).
 */
type ActivationListener = (event: ActivationEvent) => unknown;

/**
 * Watches MODEL_DIR and decides which model version serves. Scans, activations and rollbacks
 * run one at a time; inference never waits for them: it reads the serving reference, which a
 * swap replaces in one assignment, and the replaced runner is freed once its last run finishes.
 */
export class ModelRegistry {
  private readonly versions = new Map<string, VersionState>();
  private serving: Serving | null = null;
  /** Keys of previously active versions, most recent last: what rollback goes back to. */
  private readonly history: string[] = [];
  private pinned = false;
  private tail: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private scanQueued = false;
  private stopped = false;
  private readonly listeners = new Set<ActivationListener>();
  private readonly now: () => number;
  private readonly validation: ValidationOptions;

  constructor(
    private readonly options: ModelRegistryOptions,
    private readonly hooks: ModelRegistryHooks = {},
  ) {
    this.now = options.now ?? Date.now;
    this.validation = {
      limits: options.limits,
      smokeTimeoutMs: options.smokeTimeoutMs,
      runner: { intraOpNumThreads: options.intraOpNumThreads },
    };
  }

  /** First scan (so a valid model serves when this resolves), then one every poll interval. */
  async start(): Promise<void> {
    await this.scan();
    this.timer = setInterval(() => {
      // A slow scan (a large model loading) must not pile up more behind it.
      if (this.scanQueued) return;
      this.scan().catch((error: unknown) => this.hooks.failed?.('scan', error));
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.serial(async () => {
      const serving = this.serving;
      this.serving = null;
      await serving?.runner.retire();
    });
  }

  /** Calls `listener` after every activation (the engine re-seeds its live embedding table). */
  onActivated(listener: ActivationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The serving model, or null. Call `runner.run` in the same tick, or use `infer`. */
  active(): ActiveModel | null {
    const serving = this.serving;
    return serving === null ? null : { ...refOf(serving.state), runner: serving.runner };
  }

  /** Runs one batch on the model serving at call time; a concurrent swap does not affect it. */
  async infer(
    batch: FeatureBatch,
  ): Promise<{ readonly model: ModelRef; readonly scored: ScoredBatch }> {
    const serving = this.serving;
    if (serving === null)
      throw new ModelRegistryError('NO_ACTIVE_MODEL', 'no model version is active');
    const model = refOf(serving.state);
    const started = performance.now();
    const run = serving.runner.run(batch);
    try {
      const scored = await run;
      this.hooks.inferred?.(model, (performance.now() - started) / 1000, false);
      return { model, scored };
    } catch (error) {
      this.hooks.inferred?.(model, (performance.now() - started) / 1000, true);
      throw error;
    }
  }

  snapshot(): RegistrySnapshot {
    const versions = [...this.versions.values()].sort((left, right) =>
      compareVersions(ordered(right), ordered(left)),
    );
    return {
      modelDir: this.options.modelDir,
      active: this.serving === null ? null : refOf(this.serving.state),
      pinned: this.pinned,
      versions: versions.map(toInfo),
    };
  }

  /** Looks at MODEL_DIR now (the poller calls this; tests and operators may too). */
  scan(): Promise<void> {
    this.scanQueued = true;
    return this.serial(async () => {
      this.scanQueued = false;
      await this.scanNow();
    });
  }

  /** Operator choice: serve this version (re-validated first) and stop automatic activation. */
  activate(name: string, version: string): Promise<ModelRef> {
    return this.serial(async () => {
      const state = this.versions.get(versionKey(name, version));
      if (state === undefined) {
        throw new ModelRegistryError(
          'NOT_FOUND',
          `no model version ${name}/${version} in ${this.options.modelDir}`,
        );
      }
      if (state !== this.serving?.state) await this.revalidateAndServe(state, 'operator');
      this.pin();
      return refOf(state);
    });
  }

  /** Operator choice: serve the previously active version again. */
  rollback(): Promise<ModelRef> {
    return this.serial(async () => {
      for (;;) {
        const key = this.history.pop();
        if (key === undefined) {
          throw new ModelRegistryError(
            'NOT_ACTIVATABLE',
            'there is no previously active version to roll back to',
          );
        }
        const state = this.versions.get(key);
        if (state === undefined || state === this.serving?.state) continue;
        await this.revalidateAndServe(state, 'rollback');
        this.pin();
        return refOf(state);
      }
    });
  }

  private async scanNow(): Promise<void> {
    if (this.stopped) return;
    const entries = await listVersionDirectories(this.options.modelDir);
    const present = new Set(entries.map((entry) => versionKey(entry.name, entry.version)));
    for (const [key, state] of this.versions) {
      // The serving model stays listed (it is in memory) even if its directory was removed.
      if (!present.has(key) && state !== this.serving?.state) this.versions.delete(key);
    }
    let candidate: Serving | null = null;
    for (const entry of entries) {
      const state = this.track(entry);
      if (!this.needsValidation(state, entry)) continue;
      state.manifestStamp = entry.manifestStamp;
      if (entry.unsafe !== undefined) {
        state.status = 'rejected';
        state.reason = { code: 'UNSAFE_PATH', message: entry.unsafe };
        this.hooks.rejected?.(refOf(state), state.reason);
        continue;
      }
      const runner = await this.validate(state);
      if (runner === null) continue;
      if (state.autoEligible && this.isNewerThan(state, candidate?.state ?? this.serving?.state)) {
        void candidate?.runner.retire();
        candidate = { state, runner };
      } else {
        void runner.retire();
      }
    }
    if (candidate !== null) {
      this.serve(candidate, 'automatic');
      this.pinned = false;
    }
  }

  private track(entry: VersionEntry): VersionState {
    const key = versionKey(entry.name, entry.version);
    let state = this.versions.get(key);
    if (state === undefined) {
      state = {
        name: entry.name,
        version: entry.version,
        dir: entry.dir,
        status: 'pending',
        reason: null,
        manifest: null,
        manifestStamp: null,
        discoveredAt: this.now(),
        loadedAt: null,
        activatedAt: null,
        timings: null,
        autoEligible: true,
      };
      this.versions.set(key, state);
    }
    return state;
  }

  /** Pending versions are retried every scan; judged ones only when their manifest changes. */
  private needsValidation(state: VersionState, entry: VersionEntry): boolean {
    if (state === this.serving?.state) return false;
    return state.status === 'pending' || state.manifestStamp !== entry.manifestStamp;
  }

  /** Validates and records the outcome; returns the loaded runner when the version is valid. */
  private async validate(state: VersionState): Promise<LeasedRunner | null> {
    const outcome = await validateVersion(state.dir, state, this.validation);
    applyOutcome(state, outcome, this.now());
    this.hooks.validated?.(refOf(state), state.status, outcome.timings);
    if (outcome.status === 'valid') return outcome.runner;
    if (outcome.status === 'rejected') this.hooks.rejected?.(refOf(state), outcome.reason);
    return null;
  }

  private async revalidateAndServe(
    state: VersionState,
    cause: 'operator' | 'rollback',
  ): Promise<void> {
    if (state.status === 'rejected' || state.status === 'pending') {
      throw new ModelRegistryError(
        'NOT_ACTIVATABLE',
        `${state.name}/${state.version} is ${state.status}${state.reason ? `: ${state.reason.message}` : ''}`,
        state.reason ?? undefined,
      );
    }
    // Files may have changed since it was validated; it serves only if it passes again now.
    const runner = await this.validate(state);
    if (runner === null) {
      throw new ModelRegistryError(
        'NOT_ACTIVATABLE',
        `${state.name}/${state.version} no longer validates: ${state.reason?.message ?? 'unknown reason'}`,
        state.reason ?? undefined,
      );
    }
    this.serve({ state, runner }, cause);
  }

  /** The swap: one reference assignment; the old runner retires after its in-flight runs. */
  private serve(next: Serving, cause: ActivationEvent['cause']): void {
    const previous = this.serving;
    this.serving = next;
    next.state.status = 'active';
    next.state.activatedAt = this.now();
    if (previous !== null) {
      previous.state.status = 'ready';
      if (cause !== 'rollback')
        this.history.push(versionKey(previous.state.name, previous.state.version));
    }
    const event: ActivationEvent = {
      model: { ...refOf(next.state), runner: next.runner },
      previous: previous === null ? null : refOf(previous.state),
      cause,
    };
    this.hooks.activated?.(event);
    const switching: Array<Promise<unknown>> = [];
    for (const listener of this.listeners) {
      try {
        const failed = (error: unknown): void => this.hooks.failed?.('activation listener', error);
        switching.push(Promise.resolve(listener(event)).catch(failed));
      } catch (error) {
        this.hooks.failed?.('activation listener', error);
      }
    }
    if (previous === null) return;
    // Runs already started on the previous runner finish on it (LeasedRunner counts them).
    void Promise.allSettled(switching).then(() => previous.runner.retire());
  }

  private pin(): void {
    this.pinned = true;
    for (const state of this.versions.values()) state.autoEligible = false;
  }

  private isNewerThan(state: VersionState, other: VersionState | undefined): boolean {
    return other === undefined || compareVersions(ordered(state), ordered(other)) > 0;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function refOf(state: { readonly name: string; readonly version: string }): ModelRef {
  return { name: state.name, version: state.version };
}

function ordered(state: VersionState): { name: string; version: string; created: string | null } {
  return { name: state.name, version: state.version, created: state.manifest?.created ?? null };
}
