import { Topic } from '@kairos/contracts';
import { eventually } from '../../test/support/infra';
import { type ChaosStack } from '../../test/chaos/support/chaos-stack';
import { clientStream } from '../../test/chaos/support/client-stream';
import { ResilientSender, type SendOutcome } from '../../test/chaos/support/resilient-sender';
import { formatTable } from '../support/stats';

export interface CapacitySettings {
  /** Events of the opening burst (its drain rate is the first, optimistic estimate). */
  readonly burstEvents: number;
  /** Length of each paced probe. */
  readonly probeSeconds: number;
  readonly maxProbes: number;
  readonly users: number;
  /** Prefix of the run's users and event ids. */
  readonly run: string;
  /** Called with what each phase got accepted, so the soak's ground truth includes it. */
  readonly onAccepted: (outcome: SendOutcome) => void;
}

export interface ProbeStep {
  readonly 'rate /s': number;
  readonly 'sent /s': number;
  readonly 'feature took /s': number;
  readonly 'lag before': number;
  readonly 'lag after': number;
  readonly flat: 'yes' | 'no';
}

export interface SustainedCapacity {
  /** Events per second the soak takes its fraction of. */
  readonly eventsPerSecond: number;
  readonly burstEventsPerSecond: number;
  readonly steps: readonly ProbeStep[];
  /** How eventsPerSecond was arrived at, for the report. */
  readonly method: string;
}

/**
 * A lag rise of at most this many seconds of input over a probe counts as flat: the consumers
 * work in batches, so lag moves by a batch or two even when they keep up.
 */
const FLAT_TOLERANCE_SECONDS = 5;

/** `rate` events per second for `seconds`, through ingest with 8 lanes of 50-event batches. */
export async function sendPaced(
  stack: ChaosStack,
  options: {
    rate: number;
    seconds: number;
    users: number;
    run: string;
    label: string;
    seed: number;
    onResponse?: (latencyMs: number) => void;
  },
): Promise<{ outcome: SendOutcome; seconds: number }> {
  const events = clientStream(options.rate * options.seconds, options.users, options.label, {
    seed: options.seed,
    userPrefix: options.run,
    startMs: Date.now() - options.seconds * 1_000,
    spanMs: options.seconds * 1_000,
  });
  const started = performance.now();
  const outcome = await new ResilientSender({
    ingestUrl: stack.ingestUrl,
    ratePerSecond: options.rate,
    lanes: 8,
    batchSize: 50,
    onResponse: options.onResponse,
  }).send(events);
  return { outcome, seconds: (performance.now() - started) / 1_000 };
}

export async function waitForNoLag(stack: ChaosStack, what: string): Promise<number> {
  const started = performance.now();
  await eventually(async () => ((await stack.totalLag()) === 0 ? true : undefined), {
    timeoutMs: 30 * 60_000,
    intervalMs: 250,
    what,
  });
  return (performance.now() - started) / 1_000;
}

/**
 * The highest paced rate at which the pipeline's lag stays flat. A burst drained as fast as
 * possible overstates it (big batches, small fresh states, no paced GETs), so the burst only
 * gives the first rate to try: each probe sends a rate for probeSeconds; if both groups' lag rose
 * by more than a few seconds of input, the next probe tries 90% of what the feature group
 * actually consumed per second (or of the rate, if the recommender was the one behind).
 */
export async function measureSustainedCapacity(
  stack: ChaosStack,
  settings: CapacitySettings,
): Promise<SustainedCapacity> {
  const burst = await measureBurst(stack, settings);
  const steps: ProbeStep[] = [];
  let rate = Math.round(burst * 0.9);
  for (let probe = 1; probe <= settings.maxProbes; probe++) {
    const lagBefore = await stack.totalLag();
    const featureLagBefore = await stack.harness.lag('feature', Topic.Events);
    const { outcome, seconds } = await sendPaced(stack, {
      rate,
      seconds: settings.probeSeconds,
      users: settings.users,
      run: settings.run,
      label: `${settings.run}p${probe}`,
      seed: 1_000 + probe,
    });
    settings.onAccepted(outcome);
    const lagAfter = await stack.totalLag();
    const featureLagAfter = await stack.harness.lag('feature', Topic.Events);
    const featureTook = (outcome.accepted.size - (featureLagAfter - featureLagBefore)) / seconds;
    const flat = lagAfter - lagBefore <= rate * FLAT_TOLERANCE_SECONDS;
    const step: ProbeStep = {
      'rate /s': rate,
      'sent /s': outcome.accepted.size / seconds,
      'feature took /s': featureTook,
      'lag before': lagBefore,
      'lag after': lagAfter,
      flat: flat ? 'yes' : 'no',
    };
    steps.push(step);
    console.log(formatTable([{ probe, ...step }]));
    if (flat) {
      return {
        eventsPerSecond: rate,
        burstEventsPerSecond: burst,
        steps,
        method: `highest paced rate with flat lag over ${settings.probeSeconds} s (probed down from a ${settings.burstEvents}-event burst drained at ${burst.toFixed(0)}/s)`,
      };
    }
    rate = Math.max(1, Math.round(0.9 * Math.min(rate, featureTook)));
  }
  return {
    eventsPerSecond: rate,
    burstEventsPerSecond: burst,
    steps,
    method: `lag never flat in ${settings.maxProbes} probes of ${settings.probeSeconds} s: 90% of the last rate the feature group consumed (an upper bound)`,
  };
}

/** Events per second of a burst sent as fast as ingest takes it, timed until both groups drain. */
async function measureBurst(stack: ChaosStack, settings: CapacitySettings): Promise<number> {
  const events = clientStream(settings.burstEvents, settings.users, `${settings.run}c`, {
    userPrefix: settings.run,
    startMs: Date.now() - 3_600_000,
    spanMs: 3_000_000,
  });
  const started = performance.now();
  const outcome = await new ResilientSender({ ingestUrl: stack.ingestUrl, lanes: 8 }).send(events);
  const acceptedSeconds = (performance.now() - started) / 1_000;
  await waitForNoLag(stack, 'the capacity burst to drain');
  const seconds = (performance.now() - started) / 1_000;
  settings.onAccepted(outcome);
  console.log(
    `capacity burst: ${outcome.accepted.size} events accepted in ${acceptedSeconds.toFixed(1)} s, drained after ${seconds.toFixed(1)} s`,
  );
  return outcome.accepted.size / seconds;
}
