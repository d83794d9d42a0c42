import fc from 'fast-check';
import { describeWithInfra } from '../../support/infra';
import { fuzzedEndpoints } from './endpoints';
import { fuzzCases, violation } from './fuzz-cases';
import { FUZZ_KEYS, FuzzStack, type StateSnapshot } from './fuzz-stack';
import { closeRawAgent, sendRaw } from './raw-http';

/** FUZZ_SEED=<n> replays a run (the seed is printed); FUZZ_SCALE=0.1 for a quick local pass. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const MIN_TOTAL = 10_000;

interface Tally {
  requests: number;
  statuses: Map<string, number>;
}

/**
 * Property-based fuzzing of every route of the three apps, running as separate processes on the
 * real broker and MongoDB-protocol server: generated malformed requests (wrong types, sizes,
 * Unicode, prototype-pollution keys, Mongo operators, header and auth abuse) get a 4xx with the
 * stable error body, never a 5xx; every process stays up; and nothing they sent changed state.
 */
describeWithInfra('HTTP fuzzing of every endpoint', ['kafka', 'mongo'], () => {
  jest.setTimeout(900_000);
  const stack = new FuzzStack();
  const tallies = new Map<string, Tally>();
  let before: StateSnapshot;

  beforeAll(async () => {
    await stack.start();
    await stack.seed();
    before = await stack.settledSnapshot();
  });

  afterAll(async () => {
    closeRawAgent();
    await stack.stop();
    printTable(tallies);
  });

  const endpoints = fuzzedEndpoints(Date.now());

  it.each(endpoints.map((endpoint) => [`${endpoint.app}: ${endpoint.label}`, endpoint] as const))(
    '%s refuses malformed requests with a 4xx and stays up',
    async (name, endpoint) => {
      const tally: Tally = { requests: 0, statuses: new Map() };
      tallies.set(name, tally);
      const baseUrl = stack.url(endpoint.app);
      await fc.assert(
        fc.asyncProperty(fuzzCases(endpoint, FUZZ_KEYS), async (fuzzCase) => {
          const outcome = await sendRaw(baseUrl, fuzzCase.request);
          const status = outcome.kind === 'reset' ? 'reset' : String(outcome.status);
          tally.requests += 1;
          tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
          const problem = violation(fuzzCase, outcome);
          if (problem !== null) {
            const { method, path, headers } = fuzzCase.request;
            throw new Error(
              `${problem}\n  defects: ${fuzzCase.defects.join(', ')}\n  ${method} ${path.slice(0, 300)}\n` +
                `  headers: ${JSON.stringify(headers).slice(0, 300)}\n  body: ${fuzzCase.request.body?.slice(0, 300) ?? '(none)'}`,
            );
          }
        }),
        { numRuns: Math.max(1, Math.round(endpoint.runs * SCALE)), seed: SEED },
      );
      expect(stack.apps.get(endpoint.app)?.child.exitCode).toBeNull();
      expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    },
  );

  it('sent at least 10,000 requests, and every app is still up and ready', async () => {
    const total = [...tallies.values()].reduce((sum, tally) => sum + tally.requests, 0);
    expect(total).toBeGreaterThanOrEqual(Math.round(MIN_TOTAL * SCALE));
    for (const app of ['ingest', 'feature', 'recommender'] as const) {
      expect(stack.apps.get(app)?.child.exitCode).toBeNull();
      expect((await fetch(`${stack.url(app)}/health/ready`)).status).toBe(200);
    }
  });

  it('changed no state: topic end offsets, MongoDB documents and API answers are as before', async () => {
    const after = await stack.snapshot();
    expect(after.topicEndOffsets).toEqual(before.topicEndOffsets);
    expect(Object.keys(after.topicEndOffsets).length).toBeGreaterThan(0);
    expect(after.collections).toEqual(before.collections);
    expect(after.answers).toEqual(before.answers);
    expect(after.answers.recommendations).toMatch(/^200 /);
    expect(after.answers.session).toMatch(/^200 /);
  });
});

function printTable(tallies: ReadonlyMap<string, Tally>): void {
  const rows = [...tallies].map(([name, tally]) => {
    const statuses = [...tally.statuses]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, count]) => `${status}x${count}`)
      .join(' ');
    return `${name.padEnd(60)} ${String(tally.requests).padStart(6)}  ${statuses}`;
  });
  const total = [...tallies.values()].reduce((sum, tally) => sum + tally.requests, 0);
  console.log(
    [
      `HTTP fuzzing (fast-check seed ${SEED}, scale ${SCALE}): requests per endpoint and statuses`,
      `${'endpoint'.padEnd(60)} ${'sent'.padStart(6)}  statuses`,
      ...rows,
      `${'total'.padEnd(60)} ${String(total).padStart(6)}`,
    ].join('\n'),
  );
}
