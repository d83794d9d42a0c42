import { eventually } from '../support/infra';
import { bootSystem, describeEachMode, type System } from '../support/system';

const KEYS = { writer: 'writer-secret-0123456789', reader: 'reader-secret-0123456789' };

describeEachMode(
  'an event POSTed to ingest shows up in the feature service session API',
  (mode) => {
    let system: System;

    beforeAll(async () => {
      system = await bootSystem(mode, ['ingest', 'feature'], 'session', {
        KAIROS_API_KEYS: `writer|${KEYS.writer}|events:write;reader|${KEYS.reader}|recommendations:read`,
      });
    });

    afterAll(async () => {
      await system?.close();
    });

    const getSession = (userId: string, key: string | null = KEYS.reader) =>
      fetch(`${system.url('feature')}/v1/users/${encodeURIComponent(userId)}/session`, {
        headers: key === null ? {} : { authorization: `Bearer ${key}` },
      });

    it('reflects the event (window, counts, provenance) within a polling bound', async () => {
      const sent: string[] = [];
      for (const [itemId, type] of [
        ['sku-1', 'view'],
        ['sku-2', 'click'],
        ['sku-1', 'add_to_cart'],
      ] as const) {
        const response = await fetch(`${system.url('ingest')}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.writer}` },
          body: JSON.stringify({
            userId: 'e2e-user',
            itemId,
            type,
            context: { category: 'shoes' },
          }),
        });
        expect(response.status).toBe(202);
        sent.push(((await response.json()) as { eventId: string }).eventId);
      }
      const body = await eventually(
        async () => {
          const response = await getSession('e2e-user');
          if (response.status !== 200) return undefined;
          const session = (await response.json()) as {
            lastEventId: string;
            window: {
              events: Array<{ itemId: string; type: string }>;
              countsByType: Record<string, number>;
              distinctItems: number;
            };
            profile: {
              totalEvents: number;
              topItems: Array<{ key: string }>;
              topCategories: Array<{ key: string }>;
            };
          };
          return session.lastEventId === sent[2] ? session : undefined;
        },
        { timeoutMs: 30_000, what: 'the session to include the last event' },
      );
      expect(body.window.events.map((e) => [e.itemId, e.type])).toEqual([
        ['sku-1', 'view'],
        ['sku-2', 'click'],
        ['sku-1', 'add_to_cart'],
      ]);
      expect(body.window.countsByType).toEqual({ view: 1, click: 1, add_to_cart: 1 });
      expect(body.window.distinctItems).toBe(2);
      expect(body.profile.totalEvents).toBe(3);
      expect(body.profile.topItems[0]?.key).toBe('sku-1');
      expect(body.profile.topCategories.map((c) => c.key)).toEqual(['shoes']);
    });

    it('answers 404 for an unknown user and 400 for an invalid id', async () => {
      const unknown = await getSession('nobody-here');
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect((await getSession('bad id!')).status).toBe(400);
    });

    it('requires a key with recommendations:read', async () => {
      expect((await getSession('e2e-user', null)).status).toBe(401);
      expect((await getSession('e2e-user', KEYS.writer)).status).toBe(403);
    });
  },
);
