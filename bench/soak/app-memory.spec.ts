import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AppMemoryWatch, parseMemoryScrape } from './app-memory';

/** A registry like MetricsModule's: default metrics with the app label on every series. */
function appRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}

describe('parseMemoryScrape', () => {
  it('reads RSS, heapUsed and external memory from prom-client default metrics, in MB', async () => {
    const before = process.memoryUsage();
    const scrape = parseMemoryScrape(await appRegistry('feature').metrics());
    const after = process.memoryUsage();
    const mb = (bytes: number) => bytes / 1_024 / 1_024;

    expect(scrape.rssMb).toBeGreaterThan(mb(Math.min(before.rss, after.rss)) * 0.8);
    expect(scrape.rssMb).toBeLessThan(mb(Math.max(before.rss, after.rss)) * 1.2);
    expect(scrape.heapUsedMb).toBeGreaterThan(0);
    expect(scrape.heapUsedMb).toBeLessThanOrEqual(scrape.heapTotalMb);
    expect(scrape.heapTotalMb).toBeLessThan(scrape.rssMb);
    expect(scrape.externalMb).toBeGreaterThan(0);
  });

  it('gives NaN for a gauge the exposition lacks', () => {
    const scrape = parseMemoryScrape('process_resident_memory_bytes{app="x"} 1048576\n');

    expect(scrape.rssMb).toBe(1);
    expect(scrape.heapTotalMb).toBeNaN();
    expect(scrape.heapUsedMb).toBeNaN();
    expect(scrape.externalMb).toBeNaN();
  });
});

describe('AppMemoryWatch', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    const registry = appRegistry('feature');
    server = createServer((request, response) => {
      if (request.url !== '/metrics') return void response.writeHead(404).end();
      void registry.metrics().then((text) => response.end(text));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('summarizes the scrapes since the last take per app, NaN for an app it cannot reach', async () => {
    const watch = new AppMemoryWatch(
      (app) => (app === 'feature' ? baseUrl : 'http://127.0.0.1:1'),
      ['feature', 'ingest'],
      10,
    );
    watch.start();
    await new Promise((done) => setTimeout(done, 100));
    const minute = await watch.take();
    await watch.stop();

    expect(minute.feature.heapLowMb).toBeGreaterThan(0);
    expect(minute.feature.heapLowMb).toBeLessThanOrEqual(minute.feature.heapHighMb);
    expect(minute.feature.rssMb).toBeGreaterThan(minute.feature.heapLowMb);
    expect(minute.ingest.rssMb).toBeNaN();
    expect(minute.ingest.heapLowMb).toBeNaN();
  });
});
