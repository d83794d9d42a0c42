import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_LIMITS, validateVersion } from '@kairos/model';
import { INTERACTION_FORMATS, isInteractionFormat, readInteractions } from '@kairos/model-training';
import {
  DEFAULT_ENGINE_OPTIONS,
  ItemKnnRecommender,
  MostPopularRecommender,
  RecentPopularRecommender,
  RecommendationEngine,
  formatReportTable,
  liftOverBestBaseline,
  renderHtmlReport,
  runPrequential,
} from '@kairos/recsys';
import { UsageError, integerOption, numberOption, runCli } from './cli-options';

const engineDefaults = DEFAULT_ENGINE_OPTIONS;
const USAGE = `Usage: npm run eval -- --input <file> --format <${INTERACTION_FORMATS.join('|')}> [options]

Prequential (test-then-learn) replay of a time-ordered interaction log: for each event of a user
with an earlier event, every recommender is asked for the user's top 20, then learns the event.
Runs the recommender's own engine (ONNX model + online updates) next to MostPopular,
RecentPopular (sliding window) and ItemKNN (consecutive-item co-occurrence). Prints a table,
writes JSON and an HTML report with the moving-average HR@10 curve.

  --input <file>            interaction log
  --format <format>         kairos-jsonl | movielens | session-csv (Diginetica)
  --model <dir>             model version directory (default models/kairos-default/1)
  --out-json <file>         write the full report as JSON
  --out-html <file>         write the HTML report
  --limit <n>               only the first n events (after time ordering)
  --warmup-fraction <x>     learn the first fraction of the log without evaluating (default 0)
  --micro-batch <n>         distinct users asked per step batch (default 256)
  --include-seen            also recommend already seen items (default: excluded, as served)
  --keep-repeats            keep consecutive repeats of an item (default: dropped, SR-GNN protocol)
  --window-hours <x>        RecentPopular sliding window (default 24)
  --lr <x>                  online learning rate (default ${engineDefaults.learner.learningRate}; 0 = no online updates)
  --negatives <n>           negatives per online step (default ${engineDefaults.learner.negatives})
  --seed <n>                seed of negative sampling and new-item vectors (default ${engineDefaults.learner.seed})
  --max-norm <x>            clip updated rows to x times the model's median row norm (0 = off)
  --history <n>             history length L fed to the model (default ${engineDefaults.historyLength})
  --recency-decay <x>       pooling weight factor per step back (default ${engineDefaults.recencyDecay})
  --half-life-hours <x>     popularity prior half-life (default ${engineDefaults.popularityHalfLifeMs / 3_600_000})
  --transition-weight <x>   weight of the directional next-item term (default ${engineDefaults.transitions.weight}; 0 = model only)
  --transition-step <x>     online change of log(weight) per telling answer (default ${engineDefaults.transitions.weightStep}; 0 = fixed weight)
  --transition-prior <x>    pseudo-count shrinking rarely seen transitions (default ${engineDefaults.transitions.evidencePrior})
  --transition-context <n>  latest items voting for successors (default ${engineDefaults.transitions.contextLength})
  --moving-window <n>       steps per moving-average point (default 1000)
  --help                    show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      format: { type: 'string' },
      model: { type: 'string', default: 'models/kairos-default/1' },
      'out-json': { type: 'string' },
      'out-html': { type: 'string' },
      limit: { type: 'string' },
      'warmup-fraction': { type: 'string' },
      'micro-batch': { type: 'string' },
      'include-seen': { type: 'boolean', default: false },
      'keep-repeats': { type: 'boolean', default: false },
      'window-hours': { type: 'string' },
      lr: { type: 'string' },
      negatives: { type: 'string' },
      history: { type: 'string' },
      'recency-decay': { type: 'string' },
      'half-life-hours': { type: 'string' },
      'max-norm': { type: 'string' },
      seed: { type: 'string' },
      'moving-window': { type: 'string' },
      'transition-weight': { type: 'string' },
      'transition-context': { type: 'string' },
      'transition-step': { type: 'string' },
      'transition-prior': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.input === undefined) throw new UsageError('--input is required');
  if (values.format === undefined || !isInteractionFormat(values.format)) {
    throw new UsageError(`--format must be one of ${INTERACTION_FORMATS.join(', ')}`);
  }
  const warmupFraction =
    values['warmup-fraction'] === undefined ? 0 : Number(values['warmup-fraction']);
  if (!(warmupFraction >= 0 && warmupFraction < 1)) {
    throw new UsageError(`--warmup-fraction must be in [0, 1), got "${values['warmup-fraction']}"`);
  }
  const learningRate =
    values.lr === undefined ? engineDefaults.learner.learningRate : Number(values.lr);
  if (!(learningRate >= 0)) throw new UsageError(`--lr must be >= 0, got "${values.lr}"`);

  const transitionWeight =
    values['transition-weight'] === undefined
      ? engineDefaults.transitions.weight
      : Number(values['transition-weight']);
  if (!(transitionWeight >= 0)) {
    throw new UsageError(`--transition-weight must be >= 0, got "${values['transition-weight']}"`);
  }

  const startedAt = performance.now();
  const all = await readInteractions(values.input, values.format);
  const limit = integerOption(values.limit, 'limit', all.length);
  const log = all.slice(0, limit);
  process.stderr.write(`read ${log.length} events from ${values.input}\n`);

  const runner = await loadModel(values.model);
  const engine = await RecommendationEngine.create(runner, {
    historyLength: integerOption(values.history, 'history', engineDefaults.historyLength),
    recencyDecay: numberOption(
      values['recency-decay'],
      'recency-decay',
      engineDefaults.recencyDecay,
    ),
    popularityHalfLifeMs:
      numberOption(
        values['half-life-hours'],
        'half-life-hours',
        engineDefaults.popularityHalfLifeMs / 3_600_000,
      ) * 3_600_000,
    seed: integerOption(values.seed, 'seed', engineDefaults.seed, 0),
    transitions: {
      weight: transitionWeight,
      evidencePrior:
        values['transition-prior'] === undefined
          ? engineDefaults.transitions.evidencePrior
          : Number(values['transition-prior']),
      weightStep:
        values['transition-step'] === undefined
          ? engineDefaults.transitions.weightStep
          : Number(values['transition-step']),
      contextLength: integerOption(
        values['transition-context'],
        'transition-context',
        engineDefaults.transitions.contextLength,
      ),
    },
    learner: {
      seed: integerOption(values.seed, 'seed', engineDefaults.learner.seed, 0),
      learningRate,
      negatives: integerOption(values.negatives, 'negatives', engineDefaults.learner.negatives, 0),
      maxNormFactor:
        values['max-norm'] === undefined
          ? engineDefaults.learner.maxNormFactor
          : Number(values['max-norm']),
    },
  });
  const windowMs = numberOption(values['window-hours'], 'window-hours', 24) * 3_600_000;
  const recommenders = [
    engine,
    new MostPopularRecommender(),
    new RecentPopularRecommender(windowMs),
    new ItemKnnRecommender(),
  ];

  let lastProgress = 0;
  const report = await runPrequential(log, recommenders, {
    microBatchSize: integerOption(values['micro-batch'], 'micro-batch', 256),
    excludeSeen: !values['include-seen'],
    dropConsecutiveRepeats: !values['keep-repeats'],
    warmupEvents: Math.floor(log.length * warmupFraction),
    movingAverageWindow: integerOption(values['moving-window'], 'moving-window', 1000),
    plotPoints: 200,
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - lastProgress < 2000 && done < total) return;
      lastProgress = now;
      const seconds = ((now - startedAt) / 1000).toFixed(0);
      process.stderr.write(
        `  ${done}/${total} events (${((100 * done) / total).toFixed(1)}%), ${seconds}s\n`,
      );
    },
  });

  const lift = liftOverBestBaseline(report, engine.name);
  const context = {
    input: resolve(values.input),
    format: values.format,
    model: engine.modelVersion,
    modelDir: resolve(values.model),
    scoring: { probed: engine.scoring.probed, priorWeight: engine.scoring.priorWeight },
    engineOptions: { ...engine.options, eventTypeWeights: undefined },
    recentPopularWindowHours: windowMs / 3_600_000,
    warmupFraction,
    transitionWeightAtEnd: engine.transitionWeight,
    hr10LiftOverBestBaseline: lift,
    wallSeconds: (performance.now() - startedAt) / 1000,
  };
  process.stdout.write(`${formatReportTable(report)}\n`);
  process.stdout.write(
    `engine transition weight at the end: ${engine.transitionWeight.toFixed(2)}\n`,
  );
  if (lift) {
    process.stdout.write(
      `engine HR@10 vs best baseline (${lift.best}): ${(100 * lift.lift).toFixed(1)}% relative\n`,
    );
  }
  if (values['out-json'])
    writeOutput(values['out-json'], JSON.stringify({ context, report }, null, 2));
  if (values['out-html']) {
    writeOutput(
      values['out-html'],
      renderHtmlReport(report, `Replay evaluation: ${basename(values.input)}`, context),
    );
  }
}

async function loadModel(versionDir: string) {
  const location = { name: basename(dirname(resolve(versionDir))), version: basename(versionDir) };
  const outcome = await validateVersion(resolve(versionDir), location, {
    limits: DEFAULT_MODEL_LIMITS,
    smokeTimeoutMs: 30_000,
    runner: { intraOpNumThreads: 0 },
  });
  if (outcome.status !== 'valid') {
    throw new Error(`model ${versionDir} is ${outcome.status}: ${JSON.stringify(outcome.reason)}`);
  }
  return outcome.runner;
}

function writeOutput(path: string, content: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, content);
  process.stderr.write(`wrote ${path}\n`);
}

runCli(main, USAGE);
