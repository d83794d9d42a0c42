/**
 * Heap held by the engine's transition term when full: the transition table for 10,000 items
 * with 32 successors each, and the adaptive weight's pending answers for 100,000 users with the
 * worst case of 40 lost rows each. Prints MiB as JSON.
 *
 *   node --expose-gc -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     bench/recsys/transition-memory.bench.ts
 */
import { AdaptiveBlendWeight, TransitionModel } from '@kairos/recsys';

const ITEMS = 10_000;
const USERS = 100_000;
const MIB = 2 ** 20;

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  return process.memoryUsage().heapUsed;
}

const start = heapUsed();
const transitions = new TransitionModel({
  maxSuccessors: 32,
  halfLifeMs: 7 * 86_400_000,
  maxSources: 50_000,
  evidencePrior: 0,
});
let clock = 0;
for (let source = 0; source < ITEMS; source++) {
  for (let step = 0; step < 40; step++) {
    transitions.learn(`item-${source}`, `item-${(source * 7 + step * 13) % ITEMS}`, clock++);
  }
}
const afterTransitions = heapUsed();
const blend = new AdaptiveBlendWeight({
  initial: 4,
  min: 0.5,
  max: 1000,
  step: 0.05,
  maxPendingUsers: USERS,
});
const rows = (first: number): number[] => Array.from({ length: 20 }, (_, i) => first + i);
for (let user = 0; user < USERS; user++) {
  blend.rememberAnswer(`user-${user}`, {
    blendedTop: rows(0),
    modelTop: rows(20),
    transitionTop: rows(40),
  });
}
const afterPending = heapUsed();
process.stdout.write(
  `${JSON.stringify({
    sources: transitions.sourceCount,
    weight: blend.weight,
    transitionTableMiB: (afterTransitions - start) / MIB,
    pendingAnswersMiB: (afterPending - afterTransitions) / MIB,
  })}\n`,
);
