import { type AppName } from '@kairos/config';
import { metricValue } from '../../test/support/metrics';

/** One scrape of an app's memory gauges (prom-client default metrics at /metrics), in MB. */
interface MemoryScrape {
  readonly rssMb: number;
  readonly heapTotalMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
}

/** An app's memory over one minute of the soak, in MB. */
export interface MinuteMemory {
  /** Resident set size at the end of the minute. */
  readonly rssMb: number;
  /** Heap V8 has reserved at the end of the minute: it grows to peaks and gives back slowly. */
  readonly heapTotalMb: number;
  /**
   * Lowest heapUsed scraped in the minute. heapUsed saw-tooths between collections, so its low is
   * the closest an outside observer gets to the live heap after GC: a low that keeps rising is
   * retained memory; RSS rising over a flat low is the allocator keeping freed pages.
   */
  readonly heapLowMb: number;
  readonly heapHighMb: number;
  /** C++ memory tied to JS objects, Buffers and ArrayBuffers included (kafkajs, the Mongo driver). */
  readonly externalMb: number;
}

const MB = 1_024 * 1_024;
const GAUGES = {
  rssMb: 'process_resident_memory_bytes',
  heapTotalMb: 'nodejs_heap_size_total_bytes',
  heapUsedMb: 'nodejs_heap_size_used_bytes',
  externalMb: 'nodejs_external_memory_bytes',
} as const;

/** The gauges above from a Prometheus text exposition (NaN for one that is missing). */
export function parseMemoryScrape(text: string): MemoryScrape {
  const gauge = (name: string): number => (metricValue(text, name) ?? Number.NaN) / MB;
  return {
    rssMb: gauge(GAUGES.rssMb),
    heapTotalMb: gauge(GAUGES.heapTotalMb),
    heapUsedMb: gauge(GAUGES.heapUsedMb),
    externalMb: gauge(GAUGES.externalMb),
  };
}

/**
 * Scrapes each app's /metrics every few seconds and summarizes a minute at a time, so heap
 * growth can be told apart from RSS the allocator keeps.
 */
export class AppMemoryWatch {
  private readonly scrapes = new Map<AppName, MemoryScrape[]>();
  private timer: NodeJS.Timeout | undefined;
  private scraping: Promise<void> = Promise.resolve();

  constructor(
    private readonly baseUrlOf: (app: AppName) => string | undefined,
    private readonly apps: readonly AppName[],
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.scraping = this.scrapeAll();
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.scraping;
  }

  /** Each app's memory since the last call (one final scrape included). */
  async take(): Promise<Record<AppName, MinuteMemory>> {
    await this.scraping;
    await this.scrapeAll();
    const minute = Object.fromEntries(
      this.apps.map((app) => {
        const scrapes = this.scrapes.get(app)?.splice(0) ?? [];
        const last = scrapes[scrapes.length - 1];
        const heaps = scrapes.map((scrape) => scrape.heapUsedMb).filter(Number.isFinite);
        return [
          app,
          {
            rssMb: last?.rssMb ?? Number.NaN,
            heapTotalMb: last?.heapTotalMb ?? Number.NaN,
            heapLowMb: heaps.length > 0 ? Math.min(...heaps) : Number.NaN,
            heapHighMb: heaps.length > 0 ? Math.max(...heaps) : Number.NaN,
            externalMb: last?.externalMb ?? Number.NaN,
          },
        ];
      }),
    );
    return minute as Record<AppName, MinuteMemory>;
  }

  private async scrapeAll(): Promise<void> {
    await Promise.all(
      this.apps.map(async (app) => {
        const baseUrl = this.baseUrlOf(app);
        if (baseUrl === undefined) return;
        const text = await fetch(`${baseUrl}/metrics`)
          .then((response) => (response.ok ? response.text() : ''))
          .catch(() => '');
        if (text === '') return;
        const scrapes = this.scrapes.get(app) ?? [];
        scrapes.push(parseMemoryScrape(text));
        this.scrapes.set(app, scrapes);
      }),
    );
  }
}
