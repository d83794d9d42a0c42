import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithInfra, eventually } from '../support/infra';
import { BAD_MODELS, DEFAULT_MODEL, dropIn, modelDirWithDefault } from './support/bad-models';
import { ChaosStack } from './support/chaos-stack';
import { chaosSetting, reportChaos, type ReportRow } from './support/chaos-report';
import { clientStream } from './support/client-stream';
import { ResilientSender, truthOfAccepted } from './support/resilient-sender';

const EVENTS = chaosSetting('MODEL_EVENTS', 3_000);

interface VersionInfo {
  name: string;
  version: string;
  status: string;
  reason: { code: string; message: string } | null;
}

/**
 * Corrupt, malicious (huge dimensions, path traversal, symbolic links) and NaN-producing versions
 * are copied into MODEL_DIR while clients read recommendations and events keep flowing: each is
 * refused with its reason, and the default model answers every GET throughout.
 */
describeWithInfra('chaos: bad models dropped in under load', ['kafka', 'mongo'], () => {
  jest.setTimeout(10 * 60_000);
  const modelDir = mkdtempSync(join(tmpdir(), 'kairos-chaos-models-'));
  modelDirWithDefault(modelDir);
  const stack = new ChaosStack('chaos-models', {
    MODEL_DIR: modelDir,
    MODEL_POLL_INTERVAL_MS: '500',
  });

  beforeAll(() => stack.start());
  afterAll(async () => {
    await stack.stop();
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('refuses every bad version with its reason while the previous model serves every GET', async () => {
    const events = clientStream(EVENTS, EVENTS / 20, stack.harness.prefix.replace(/\W/g, ''));
    const warmUp = await new ResilientSender({ ingestUrl: stack.ingestUrl }).send(
      events.slice(0, EVENTS / 2),
    );
    const warmStale = await stack.waitForRecommendations(warmUp.lastEventOf, 3 * 60_000);
    expect(warmStale.slice(0, 5)).toEqual([]);

    const recommender = stack.instances('recommender')[0];
    if (recommender === undefined) throw new Error('no recommender');
    const users = [...warmUp.lastEventOf.keys()];
    const reads = { ok: 0, failed: [] as string[], otherModel: 0 };
    let reading = true;
    const reader = async (lane: number): Promise<void> => {
      for (let i = lane; reading; i += 4) {
        const userId = users[i % users.length] ?? '';
        try {
          const response = await fetch(`${recommender.baseUrl}/v1/recommendations/${userId}?k=10`);
          const body = (await response.json()) as { model?: { name: string; version: string } };
          if (response.status !== 200) reads.failed.push(`HTTP ${response.status}`);
          else if (
            body.model?.name !== DEFAULT_MODEL.name ||
            body.model.version !== DEFAULT_MODEL.version
          )
            reads.otherModel += 1;
          else reads.ok += 1;
        } catch (error) {
          reads.failed.push(String(error));
        }
      }
    };
    const readers = [0, 1, 2, 3].map(reader);
    const sender = new ResilientSender({ ingestUrl: stack.ingestUrl, ratePerSecond: 100 });
    const sending = sender.send(events.slice(EVENTS / 2));

    const refusals = new Map<string, { code: string; message: string; ms: number }>();
    for (const [index, bad] of BAD_MODELS.entries()) {
      const dropped = performance.now();
      dropIn(modelDir, bad, new Date(Date.now() + index * 1_000));
      const info = await eventually(
        async () => {
          const response = await fetch(`${recommender.baseUrl}/v1/models`);
          const body = (await response.json()) as { versions: VersionInfo[] };
          const mine = body.versions.find(
            (v) => v.name === DEFAULT_MODEL.name && v.version === bad.version,
          );
          return mine !== undefined && mine.status !== 'pending' ? mine : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: `a verdict on ${bad.version}` },
      );
      refusals.set(bad.version, {
        code:
          info.status === 'rejected'
            ? (info.reason?.code ?? 'none')
            : `not refused: ${info.status}`,
        message: info.reason?.message ?? '',
        ms: performance.now() - dropped,
      });
    }
    const outcome = await sending;
    reading = false;
    await Promise.all(readers);
    const models = (await (await fetch(`${recommender.baseUrl}/v1/models`)).json()) as {
      active: { name: string; version: string } | null;
    };
    const truth = truthOfAccepted(new Map([...warmUp.accepted, ...outcome.accepted]));
    await stack.waitForSessions(truth, 3 * 60_000).catch(() => undefined);
    const lastEventOf = new Map([...warmUp.lastEventOf, ...outcome.lastEventOf]);
    const stale = await stack.waitForRecommendations(lastEventOf, 3 * 60_000);

    const rows: ReportRow[] = BAD_MODELS.map((bad) => {
      const refusal = refusals.get(bad.version);
      return {
        fault: `drop-in ${bad.version}`,
        injected: bad.what,
        observed: `${refusal?.code} after ${((refusal?.ms ?? 0) / 1_000).toFixed(1)} s: ${refusal?.message.slice(0, 70)}`,
      };
    });
    rows.push({
      fault: 'serving',
      injected: `4 GET loops, ${outcome.accepted.size} events at 100/s meanwhile`,
      observed: `${reads.ok} GETs by ${DEFAULT_MODEL.name}/${DEFAULT_MODEL.version}, ${reads.failed.length} failed, ${reads.otherModel} by another model; active at the end ${models.active?.name}/${models.active?.version}; ${stale.length} stale lists`,
    });
    reportChaos('bad models', `${BAD_MODELS.length} versions`, rows);

    for (const bad of BAD_MODELS)
      expect([
        bad.version,
        bad.refusedWith.includes(refusals.get(bad.version)?.code ?? ''),
      ]).toEqual([bad.version, true]);
    expect(reads.failed.slice(0, 5)).toEqual([]);
    expect(reads.otherModel).toBe(0);
    expect(reads.ok).toBeGreaterThan(0);
    expect(models.active).toEqual(DEFAULT_MODEL);
    expect(stale.slice(0, 5)).toEqual([]);
  });
});
