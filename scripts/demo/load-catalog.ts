import { parseArgs } from 'node:util';
import {
  DEMO_CATALOG_FILE,
  readDemoCatalog,
  seedDemoCatalog,
} from '../../apps/recommender/src/demo/demo-catalog';
import { UsageError, integerOption, runCli } from '../model/cli-options';

const USAGE = `Usage: npm run demo:catalog -- [options]

Puts the demo catalog (demo/catalog.jsonl, the items the default model was trained on) into a
running ingest with PUT /v1/items/:itemId, for the demo page in distributed mode. Idempotent.
(Embedded mode, npm start, loads it by itself.)

  --ingest-url <url>    ingest's origin (default http://localhost:3001)
  --api-key <key>       Bearer key with the items:write scope (omit when KAIROS_AUTH=off)
  --file <file>         catalog file (default demo/catalog.jsonl)
  --concurrency <n>     requests in flight (default 32)
  --help                show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'ingest-url': { type: 'string', default: 'http://localhost:3001' },
      'api-key': { type: 'string' },
      file: { type: 'string', default: DEMO_CATALOG_FILE },
      concurrency: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  let ingest: URL;
  try {
    ingest = new URL(values['ingest-url']);
  } catch {
    throw new UsageError(`--ingest-url must be a URL, got "${values['ingest-url']}"`);
  }
  const apiKey = values['api-key'];
  const entries = await readDemoCatalog(values.file);
  const started = Date.now();
  const count = await seedDemoCatalog(
    entries,
    async (itemId, item) => {
      const response = await fetch(new URL(`/v1/items/${encodeURIComponent(itemId)}`, ingest), {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
        },
        body: JSON.stringify(item),
      });
      if (!response.ok)
        throw new Error(`PUT ${itemId}: ${response.status} ${await response.text()}`);
    },
    integerOption(values.concurrency, 'concurrency', 32),
  );
  process.stdout.write(`put ${count} items into ${ingest.origin} in ${Date.now() - started} ms\n`);
}

runCli(main, USAGE);
