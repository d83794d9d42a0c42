import { httpJson } from '../../support/http-json';
import { type FreshnessProbe } from './freshness-probe';

export async function postEvent(
  ingestUrl: string,
  userId: string,
  itemId: string,
): Promise<string> {
  const response = await httpJson(`${ingestUrl}/v1/events`, {
    method: 'POST',
    body: { userId, itemId, type: 'view', context: { page: 'bench' } },
  });
  if (response.status >= 300) throw new Error(`POST /v1/events: HTTP ${response.status}`);
  return (response.body as { eventId: string }).eventId;
}

/** Sends `count` events, user i % users, evenly spaced at `rate`; the probe tracks each one. */
export async function sendPaced(options: {
  readonly ingestUrl: string;
  readonly probe: FreshnessProbe;
  readonly count: number;
  readonly rate: number;
  readonly users: number;
  readonly vocabulary: readonly string[];
  readonly offset: number;
}): Promise<void> {
  const { ingestUrl, probe, count, rate, users, vocabulary, offset } = options;
  const started = performance.now();
  const posts: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1_000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const userId = `fresh-user-${i % users}`;
    const itemId = vocabulary[((offset + i) * 7_919) % vocabulary.length] ?? 'item-0';
    const postedAt = Date.now();
    posts.push(
      postEvent(ingestUrl, userId, itemId).then((eventId) =>
        probe.tracker.sent(userId, eventId, postedAt),
      ),
    );
  }
  await Promise.all(posts);
}
