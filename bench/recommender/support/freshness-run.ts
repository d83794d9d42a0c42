import { type ParseArgsConfig } from 'node:util';
import { FreshnessProbe } from './freshness-probe';
import { sendPaced } from './paced-events';

/** The command-line options both freshness benches take; each adds its own (`--base-port`, ...). */
export const FRESHNESS_OPTIONS = {
  runs: { type: 'string', default: '3' },
  events: { type: 'string', default: '1000' },
  rate: { type: 'string', default: '200' },
  users: { type: 'string', default: '300' },
  items: { type: 'string', default: '10000' },
  'poll-concurrency': { type: 'string', default: '8' },
  'poll-interval-ms': { type: 'string', default: '5' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Those options as numbers. */
export function freshnessSettings(values: { [K in keyof typeof FRESHNESS_OPTIONS]: string }) {
  return {
    runs: Number(values.runs),
    events: Number(values.events),
    rate: Number(values.rate),
    users: Number(values.users),
    items: Number(values.items),
    polling: {
      concurrency: Number(values['poll-concurrency']),
      minIntervalMs: Number(values['poll-interval-ms']),
    },
  };
}

export interface FreshnessRunOptions {
  readonly ingestUrl: string;
  readonly recommenderUrl: string;
  readonly vocabulary: readonly string[];
  readonly rate: number;
  readonly users: number;
  readonly events: number;
  /** The probe's GET polling (it shares the recommender's CPU with the pipeline it measures). */
  readonly polling: { readonly concurrency: number; readonly minIntervalMs: number };
  /**
   * Called between the warm-up and the measured stream with the warm-up's unreflected events
   * (progress output; a bench may refuse to measure a pipeline that did not warm up).
   */
  readonly onMeasuring?: (warmUpPending: number) => void;
}

/**
 * The freshness measurement both freshness benches run: a warm-up of one event per user through
 * the whole pipeline (group joins, JIT, model active), then `events` at `rate` with a probe
 * polling GET until each is reflected. Resolves with the measured probe.
 */
export async function runFreshness(options: FreshnessRunOptions): Promise<FreshnessProbe> {
  const paced = {
    ingestUrl: options.ingestUrl,
    rate: options.rate,
    users: options.users,
    vocabulary: options.vocabulary,
  };
  const warmUp = new FreshnessProbe(options.recommenderUrl, {
    ...options.polling,
    deadlineMs: 180_000,
  });
  const warming = warmUp.run();
  await sendPaced({ ...paced, probe: warmUp, count: options.users, offset: 0 });
  warmUp.stop();
  await warming;
  options.onMeasuring?.(warmUp.tracker.pending);
  const probe = new FreshnessProbe(options.recommenderUrl, {
    ...options.polling,
    deadlineMs: 300_000,
  });
  const probing = probe.run();
  await sendPaced({ ...paced, probe, count: options.events, offset: options.users });
  probe.stop();
  await probing;
  return probe;
}
