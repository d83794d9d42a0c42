import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { readDemoCatalog, seedDemoCatalog } from '../../apps/recommender/src/demo/demo-catalog';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { describeWithInfra, eventually, requireEnv, uniqueTestPrefix } from '../support/infra';

/** Debian's chromium package (`.ci/run` installs it); playwright-core brings no browser. */
const CHROMIUM = '/usr/bin/chromium';
const root = resolve(__dirname, '../..');
const PORTS = { ingest: 3691, feature: 3692, recommender: 3693 };

interface ClickAnswer {
  readonly itemId: string;
  readonly eventId: string;
  readonly traceId: string | null;
}

/**
 * The demo page in real headless Chromium against the three apps run as separate processes
 * (distributed mode: the page comes from the recommender and POSTs clicks to ingest across
 * origins, under CORS), on the real broker and MongoDB-protocol server.
 */
describeWithInfra('demo page in a real browser', ['kafka', 'mongo'], () => {
  jest.setTimeout(240_000);
  const prefix = uniqueTestPrefix('demo');
  const apps: AppProcess[] = [];
  let recommender: AppProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (CI does)`);
    const mongo = new URL(requireEnv('MONGODB_URI'));
    mongo.pathname = `/${prefix.replace(/[^A-Za-z0-9]/g, '_')}`;
    const pageOrigin = `http://127.0.0.1:${PORTS.recommender}`;
    const env = {
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      MONGODB_URI: mongo.toString(),
      KAFKA_TOPIC_PREFIX: prefix,
      KAIROS_AUTH: 'off',
      MODEL_DIR: resolve(root, 'models'),
    };
    const ingest = await startAppProcess(
      'ingest',
      { ...env, KAIROS_CORS_ORIGINS: pageOrigin },
      PORTS.ingest,
    );
    apps.push(ingest);
    apps.push(await startAppProcess('feature', env, PORTS.feature));
    recommender = await startAppProcess(
      'recommender',
      { ...env, KAIROS_DEMO_INGEST_URL: ingest.baseUrl },
      PORTS.recommender,
    );
    apps.push(recommender);

    // What `npm run demo:catalog` does: the demo catalog PUT to ingest, item by item.
    const entries = await readDemoCatalog();
    await seedDemoCatalog(entries, async (itemId, item) => {
      const response = await fetch(`${ingest.baseUrl}/v1/items/${itemId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(item),
      });
      if (response.status !== 202) throw new Error(`PUT ${itemId}: ${response.status}`);
    });
    await eventually(
      async () => {
        const response = await fetch(`${recommender.baseUrl}/v1/demo/catalog?limit=1`);
        const body = (await response.json()) as { total: number };
        return body.total === entries.length ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the whole demo catalog to reach the recommender' },
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Containers run CI as root, where Chromium's sandbox cannot start.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(apps.map((app) => app.stop()));
  });

  /** Attribute values of the elements `selector` matches (the tests compile without DOM types). */
  async function attributes(selector: string, name: string): Promise<string[]> {
    const found = await page.locator(selector).all();
    return Promise.all(found.map(async (node) => (await node.getAttribute(name)) ?? ''));
  }

  const listedIds = (): Promise<string[]> => attributes('#recommendations li', 'data-item-id');

  /** Waits until the live list reflects `eventId` (its asOfEventId shows on the page). */
  const listAsOf = (eventId: string): Promise<void> =>
    page.locator(`#as-of-event[data-event-id="${eventId}"]`).waitFor({ timeout: 60_000 });

  /** Clicks a catalog card and returns what ingest answered the page (event id and trace id). */
  async function clickItem(category: string, index: number): Promise<ClickAnswer> {
    await page.click(`#categories button[data-category="${category}"]`);
    const card = page.locator('#items button.item:not(.unavailable)').nth(index);
    const itemId = (await card.getAttribute('data-item-id')) ?? '';
    const [response] = await Promise.all([
      page.waitForResponse(
        (answer) => answer.url().endsWith('/v1/events') && answer.request().method() === 'POST',
      ),
      card.click(),
    ]);
    expect(response.status()).toBe(202);
    const { eventId } = (await response.json()) as { eventId: string };
    return { itemId, eventId, traceId: await response.headerValue('x-trace-id') };
  }

  it('updates the live list after each click, with model, freshness, trace and stage times', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${recommender.baseUrl}/?user=demo-e2e-${Date.now().toString(36)}`);
    await page.waitForSelector('#status[data-state="live"]');
    await page.waitForSelector('#items button.item');
    // A new user starts with the trending fallback (empty on a fresh system).
    await page.locator('#recs-source', { hasText: 'trending' }).waitFor();
    const before = await listedIds();

    const first = await clickItem('Outdoor', 0);
    await listAsOf(first.eventId);
    const afterFirst = await listedIds();
    expect(afterFirst).toHaveLength(10);
    expect(afterFirst).not.toEqual(before);
    expect(await page.textContent('#model')).toBe('kairos-default v1');
    expect(await page.textContent('#freshness')).toMatch(/^\d+ ms click → list$/);
    // The trace of the click's ingest request, carried through Kafka to the recommender.
    expect(first.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.textContent('#trace-id')).toBe(first.traceId);
    const stages = await attributes('#stages li', 'data-stage');
    expect(stages).toEqual([
      'Click',
      'Ingest accepted (202)',
      'Feature processed',
      'Recommender received',
      'List computed',
      'List saved',
      'Shown here',
    ]);
    for (const ms of await page.locator('#stages .stage-ms').allTextContents())
      expect(ms).toMatch(/^\+\d+ ms$/);

    const outdoorIds = new Set(await attributes('#items button.item', 'data-item-id'));
    const second = await clickItem('Kitchen', 1);
    await listAsOf(second.eventId);
    const afterSecond = await listedIds();
    expect(afterSecond).not.toEqual(afterFirst);
    // Clicked items are not recommended back; one Outdoor click already pulls Outdoor items in.
    expect(afterSecond).not.toContain(first.itemId);
    expect(afterSecond).not.toContain(second.itemId);
    expect(afterFirst.some((id) => outdoorIds.has(id))).toBe(true);
    expect(await page.locator('#clicks li').count()).toBe(2);
    expect(await page.textContent('#updates-count')).toMatch(/^[2-9]\d* updates$/);

    mkdirSync(resolve(root, 'test-output'), { recursive: true });
    // Finite animations (the highlight of new entries) fast-forwarded: the picture shows the end state.
    await page.screenshot({ path: resolve(root, 'test-output/demo.png'), animations: 'disabled' });
    if (process.env.DEMO_SCREENSHOT_TO_DOCS === '1') {
      mkdirSync(resolve(root, 'docs/images'), { recursive: true });
      await page.screenshot({
        path: resolve(root, 'docs/images/demo.png'),
        animations: 'disabled',
      });
    }
    expect(consoleErrors).toEqual([]);
  });

  it('refuses a malformed user id on the live stream, naming the field', async () => {
    const response = await fetch(`${recommender.baseUrl}/v1/demo/users/bad%20id/updates`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'userId',
    );
  });

  it('shuts the recommender down while the page holds its live stream open', async () => {
    expect(await page.getAttribute('#status', 'data-state')).toBe('live');
    // A stream that kept the HTTP server from closing would hang the shutdown: fail, not wait.
    let hung: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      recommender.stop().then(() => 'exited'),
      new Promise<string>((done) => (hung = setTimeout(() => done('still running'), 30_000))),
    ]);
    clearTimeout(hung);
    expect(outcome).toBe('exited');
    expect(recommender.output.join('')).not.toMatch(/\bERROR\b/);
    await page.waitForSelector('#status[data-state="offline"]');
  });
});
