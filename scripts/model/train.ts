import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_HYPER_PARAMETERS,
  DEFAULT_TOP_K,
  INTERACTION_FORMATS,
  ProgressBar,
  isInteractionFormat,
  readInteractions,
  trainModel,
  writeModelVersion,
} from '@kairos/model-training';
import { UsageError, integerOption, numberOption, runCli } from './cli-options';

const defaults = DEFAULT_HYPER_PARAMETERS;
const USAGE = `Usage: npm run train -- --input <file> --format <${INTERACTION_FORMATS.join('|')}> --out models/<name>/<version> [options]

Learns item embeddings (skip-gram with negative sampling over next-item transitions) and writes
a model version directory: model.onnx, items.txt, item_embeddings.f32, item_prior.f32, manifest.json.

  --input <file>        interaction log to train on
  --format <format>     kairos-jsonl | movielens (ratings.csv or ratings.dat) | session-csv (Diginetica)
  --out <dir>           version directory models/<name>/<version>; name and version come from it
  --seed <n>            seed of every random choice (default ${defaults.seed}); same seed, same bytes
  --dim <n>             embedding dimension D (default ${defaults.dimension})
  --window <n>          preceding items pooled per prediction (default ${defaults.contextLength})
  --epochs <n>          passes over the transitions (default ${defaults.epochs})
  --lr <x>              initial learning rate, decays linearly (default ${defaults.learningRate})
  --negatives <n>       negative samples per transition (default ${defaults.negatives})
  --recency-decay <x>   pooling weight factor per step back in history (default ${defaults.recencyDecay})
  --top-k <n>           K of the graph's top_scores/top_indices (default ${DEFAULT_TOP_K})
  --created <iso>       manifest.created (default: time of the last training event)
  --force               replace an existing version directory
  --help                show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      dim: { type: 'string' },
      window: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      negatives: { type: 'string' },
      'recency-decay': { type: 'string' },
      'top-k': { type: 'string' },
      created: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { input, format, out } = values;
  if (input === undefined || format === undefined || out === undefined) {
    throw new UsageError('--input, --format and --out are required');
  }
  if (!isInteractionFormat(format)) {
    throw new UsageError(
      `--format must be one of ${INTERACTION_FORMATS.join(', ')}, got "${format}"`,
    );
  }
  if (values.created !== undefined && Number.isNaN(Date.parse(values.created))) {
    throw new UsageError(`--created must be an ISO-8601 date-time, got "${values.created}"`);
  }
  const recencyDecay = numberOption(
    values['recency-decay'],
    'recency-decay',
    defaults.recencyDecay,
  );
  if (recencyDecay > 1) throw new UsageError('--recency-decay must be at most 1');
  const hyperParameters = {
    seed: integerOption(values.seed, 'seed', defaults.seed, 0),
    dimension: integerOption(values.dim, 'dim', defaults.dimension),
    contextLength: integerOption(values.window, 'window', defaults.contextLength),
    epochs: integerOption(values.epochs, 'epochs', defaults.epochs),
    learningRate: numberOption(values.lr, 'lr', defaults.learningRate),
    negatives: integerOption(values.negatives, 'negatives', defaults.negatives),
    recencyDecay,
  };
  const topK = integerOption(values['top-k'], 'top-k', DEFAULT_TOP_K);

  const startedAt = Date.now();
  process.stderr.write(`reading ${input} (${format})\n`);
  const interactions = await readInteractions(input, format);
  process.stderr.write(`read ${interactions.length} interactions\n`);
  const bar = new ProgressBar('training');
  const model = trainModel({
    interactions,
    ...hyperParameters,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.finish();
  const manifest = writeModelVersion({
    directory: out,
    model,
    topK,
    force: values.force,
    ...(values.created === undefined ? {} : { created: new Date(values.created).toISOString() }),
    training: { input: basename(input), format },
  });
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stderr.write(
    `wrote ${out}: ${manifest.vocabulary.size} items, D=${manifest.embeddingDimension}, ` +
      `prior weight ${model.priorWeight}, ${seconds}s\n`,
  );
  process.stdout.write(`${JSON.stringify(manifest.metrics, null, 2)}\n`);
}

runCli(main, USAGE);
