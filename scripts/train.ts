/**
 * Trains the learned injection detector (`models/injection-v1.bin`).
 *
 *   npm run train -- --data ../shared/data [--seed 1] [--out models/]
 *
 * Uses ONLY the `train-ok` sets of the data folder plus the project's synthetic rows. Hyperparameters and
 * the decision threshold are chosen on out-of-fold scores where each fold holds out whole sources
 * (`src/learn/source-folds.ts`); eval-only sets are read only to drop training rows whose text also
 * appears there (decontamination), never to choose anything. Same data and seed → identical weights.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { combineSignals, DEFAULT_CALIBRATION } from '../src/detect/injection/combine-signals.js';
import { createInjectionDetector } from '../src/detect/injection.js';
import { normalizeText } from '../src/detect/normalize.js';
import { EVAL_ONLY_SETS, TRAIN_OK_SETS } from '../src/eval/dataset-catalog.js';
import { dedupeRows, normalizedTextKey } from '../src/eval/dedupe-rows.js';
import { loadDataset } from '../src/eval/load-datasets.js';
import { computeMetrics, type ScoredRow } from '../src/eval/metrics.js';
import {
  fitCalibration,
  type OperatingPoint,
  searchOperatingPoint,
  thresholdAtFpr,
} from '../src/learn/fit-calibration.js';
import { DEFAULT_FEATURE_SPEC } from '../src/learn/hashed-features.js';
import { type LinearModel, scoreText } from '../src/learn/linear-model.js';
import { encodeModel } from '../src/learn/model-file.js';
import { type LabelledText, prepareExamples, sampleWeights } from '../src/learn/prepare-examples.js';
import { FOLD_COUNT, foldOf, SOURCE_FOLDS } from '../src/learn/source-folds.js';
import { generateSynthRows } from '../src/learn/synth/generate-synth.js';
import { parseTrainArgs, TRAIN_USAGE } from '../src/learn/train-args.js';
import { trainLogistic } from '../src/learn/train-logistic.js';
import { AegisError, ERROR_CODES, isAegisError } from '../src/spec/errors.js';
import { writeModelCard } from './model-card.js';

/** Default window of the model (UTF-16 units); `--window` overrides it for a validation comparison. */
let WINDOW_CHARS = 2048;
let FEATURE_SPEC = DEFAULT_FEATURE_SPEC;

interface Hyperparameters {
  epochs: number;
  learningRate: number;
  l2: number;
}

const GRID: Hyperparameters[] = [];
// A first wider sweep (epochs 4/8, rate 0.1/0.3, l2 1e-6/1e-5) always preferred more epochs and the
// smaller rate on validation, so the grid is centred there.
for (const epochs of [8, 12])
  for (const learningRate of [0.05, 0.1]) for (const l2 of [1e-5]) GRID.push({ epochs, learningRate, l2 });

/** Rule weights the operating-point search considers (1 keeps a lone rule's score as it is). */
const RULE_WEIGHTS = [1, 1.5, 2, 3, 4, 6, 10, 16];

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function loadTrainingRows(
  dataDir: string,
  seed: number,
  grammarRows?: number,
): { rows: LabelledText[]; summary: Record<string, unknown> } {
  const loaded = TRAIN_OK_SETS.map((name) => loadDataset({ dataDir, name }));
  const errors = loaded.reduce((sum, set) => sum + set.errors.length, 0);
  const synth = generateSynthRows({ seed, ...(grammarRows === undefined ? {} : { grammarRows }) });
  // Decontamination: texts that also occur in an eval-only set are dropped from training.
  const evalKeys = new Map<string, 0 | 1>();
  for (const name of EVAL_ONLY_SETS) {
    for (const row of loadDataset({ dataDir, name }).rows)
      evalKeys.set(normalizedTextKey(row.text), row.label);
  }
  const all = [
    ...loaded.flatMap((set) => set.rows.map((row) => ({ ...row, group: row.set }))),
    ...synth.map((row) => ({ ...row })),
  ];
  // After this, `group` holds the source: the dataset name, or the synthetic generator.
  const deduped = dedupeRows(all);
  const rows: LabelledText[] = [];
  let contaminated = 0;
  for (const row of deduped.rows) {
    if (evalKeys.has(normalizedTextKey(row.text))) {
      contaminated++;
      continue;
    }
    rows.push({
      text: row.text,
      label: row.label,
      source: row.group ?? row.set,
      ...((row as { role?: string }).role === 'document' ? { role: 'document' as const } : {}),
    });
  }
  const perSource: Record<string, { attack: number; benign: number }> = {};
  for (const row of rows) {
    const entry = perSource[row.source] ?? { attack: 0, benign: 0 };
    if (row.label === 1) entry.attack++;
    else entry.benign++;
    perSource[row.source] = entry;
  }
  return {
    rows,
    summary: {
      sets: TRAIN_OK_SETS,
      perSource,
      rowErrors: errors,
      duplicatesDropped: deduped.duplicates + deduped.conflicts,
      evalOverlapDropped: contaminated,
    },
  };
}

function train(rows: readonly LabelledText[], hyper: Hyperparameters, seed: number): LinearModel {
  const examples = prepareExamples({
    rows,
    weights: sampleWeights(rows),
    spec: FEATURE_SPEC,
    windowChars: WINDOW_CHARS,
  });
  return trainLogistic(examples, { spec: FEATURE_SPEC, windowChars: WINDOW_CHARS, seed, ...hyper });
}

/** Out-of-fold scores: each row scored by the model trained without its source's fold. */
function outOfFold(rows: readonly LabelledText[], hyper: Hyperparameters, seed: number): number[] {
  const scores = new Array<number>(rows.length).fill(0);
  for (let fold = 0; fold < FOLD_COUNT; fold++) {
    if (!rows.some((row) => foldOf(row.source) === fold)) continue;
    const trainRows = rows.filter((row) => foldOf(row.source) !== fold);
    const model = train(trainRows, hyper, seed);
    rows.forEach((row, index) => {
      if (foldOf(row.source) === fold) scores[index] = scoreText(model, row.text);
    });
  }
  return scores;
}

/** The rule signal's score of each row (0 when no rule fires), as the guard computes it. */
function ruleScores(rows: readonly LabelledText[]): number[] {
  const detector = createInjectionDetector();
  return rows.map((row) => {
    const findings = detector.detect(row.text, {
      role: row.role ?? 'user',
      normalized: normalizeText(row.text),
    });
    return findings.reduce((best, finding) => Math.max(best, finding.score), 0);
  });
}

function main(): void {
  const args = parseTrainArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${TRAIN_USAGE}\n`);
    return;
  }
  const dataDir = resolve(args.data);
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new AegisError(
      ERROR_CODES.DATASET_MISSING,
      `data folder ${dataDir} does not exist or is not a folder`,
    );
  }
  const seed = args.seed;
  if (args.window !== undefined) WINDOW_CHARS = args.window;
  if (args.features) FEATURE_SPEC = { ...DEFAULT_FEATURE_SPEC, ...args.features };
  const loaded = loadTrainingRows(dataDir, seed, args.grammarRows);
  const { summary } = loaded;
  // The model sees the guard's normalized text (NFKC, confusables folded, invisible characters removed)
  // at inference, so it is trained on the same view.
  const rows = loaded.rows.map((row) => ({ ...row, text: normalizeText(row.text).text }));
  log(`training rows: ${rows.length} (${rows.filter((row) => row.label === 1).length} attacks)`);

  let best: { hyper: Hyperparameters; scores: number[]; objective: number } | undefined;
  const grid = args.hyper ? [args.hyper] : GRID;
  for (const hyper of grid) {
    const started = Date.now();
    const cacheKey = JSON.stringify({
      hyper,
      seed,
      rows: rows.length,
      folds: SOURCE_FOLDS,
      window: WINDOW_CHARS,
    });
    let scores: number[] | undefined;
    if (args.cache && existsSync(args.cache)) {
      const cached = JSON.parse(readFileSync(args.cache, 'utf8')) as { key: string; scores: number[] };
      if (cached.key === cacheKey) scores = cached.scores;
    }
    if (!scores) {
      scores = outOfFold(rows, hyper, seed);
      if (args.cache) writeFileSync(args.cache, JSON.stringify({ key: cacheKey, scores }));
    }
    const scored: ScoredRow[] = rows.map((row, index) => ({
      label: row.label,
      score: scores[index]!,
      flagged: false,
    }));
    const metrics = computeMetrics(scored);
    // Objective: recall at 1% FPR (the operating region the targets ask for), ROC-AUC as a tie-break.
    const objective = (metrics.recallAt1PctFpr ?? 0) + 0.01 * (metrics.rocAuc ?? 0);
    log(
      `grid ${JSON.stringify(hyper)} auc=${metrics.rocAuc?.toFixed(4)} r@1%=${metrics.recallAt1PctFpr?.toFixed(4)} (${Date.now() - started} ms)`,
    );
    if (!best || objective > best.objective) best = { hyper, scores, objective };
  }
  if (!best) throw new Error('empty grid');

  const threshold = thresholdAtFpr(
    best.scores.filter((_, index) => rows[index]!.label === 0),
    0.01,
  );
  // Stacking: fit the rules + model calibration on the out-of-fold scores, then the preset thresholds
  // on the combined validation scores (false-positive budgets 3% strict, 1% balanced, 0.3% permissive).
  const rules = ruleScores(rows);
  const weights = sampleWeights(rows);
  const calibrationRows = rows.map((row, index) => ({
    scores: { rules: rules[index]!, model: best.scores[index]! },
    label: row.label,
    weight: weights[index]!,
  }));
  const logLossFit = fitCalibration({ rows: calibrationRows, signals: ['rules', 'model'] });
  // The operating point: bias, rule and model weights and the model-score floor (below it the model
  // abstains) are chosen together on the out-of-fold scores, for the best balanced accuracy averaged over
  // sources (real and synthetic attack sources weigh half each) while real benign prompts pass at least 99% and the synthetic trigger-word look-alikes 95%
  // (the targets). The rule weight may exceed 1, so strong rule hits are not vetoed by the bias.
  const constrained = calibrationRows.map((row, index) => ({
    ...row,
    source: rows[index]!.source,
    group: rows[index]!.source.startsWith('synth') ? 'synthetic-benign' : 'real-benign',
  }));
  const minPass = { 'real-benign': 0.99, 'synthetic-benign': 0.95 };
  // A weak rule hit must not cancel a very confident model (the model alone at its 0.1%-FPR threshold flags
  // even with the weakest rule score seen on validation). At the 1%-FPR threshold no calibration met the
  // benign pass constraints.
  const noVeto = {
    ruleScore: Math.min(...rules.filter((score) => score > 0)),
    modelScore: thresholdAtFpr(
      best.scores.filter((_, index) => rows[index]!.label === 0),
      0.001,
    ),
  };
  log(`no-veto constraint ${JSON.stringify(noVeto)}`);
  let searched: (OperatingPoint & { modelFloor: number }) | undefined;
  for (const modelFloor of [0, 0.05, 0.1, 0.2, 0.3, 0.5]) {
    const point = searchOperatingPoint({
      rows: constrained,
      minPass,
      modelFloor,
      ruleWeights: RULE_WEIGHTS,
      noVeto,
      // Real and synthetic attack sources weigh half each in the detection average.
      attackKindOf: (source) => (source.startsWith('synth') ? 'synthetic' : 'real'),
    });
    if (!point) continue;
    log(`operating point with model floor ${modelFloor}: ${JSON.stringify(point)}`);
    const objective = (point.macroRecall + point.macroPass) / 2;
    if (!searched || objective > (searched.macroRecall + searched.macroPass) / 2 + 1e-9)
      searched = { ...point, modelFloor };
  }
  if (!searched) throw new Error('no calibration meets the benign pass constraints on validation');
  log(`log-loss calibration ${JSON.stringify(logLossFit)}; searched ${JSON.stringify(searched)}`);
  const calibration = { bias: searched.bias, weights: searched.weights };
  const modelFloor = searched.modelFloor;
  const combined = rows.map(
    (_, index) =>
      combineSignals(
        [
          { name: 'rules', score: rules[index]! },
          { name: 'model', score: best.scores[index]! < modelFloor ? 0 : best.scores[index]! },
        ],
        { ...DEFAULT_CALIBRATION, ...calibration },
      ).score,
  );
  const benignCombined = combined.filter((_, index) => rows[index]!.label === 0);
  const presetThresholds = {
    strict: Math.min(0.5, thresholdAtFpr(benignCombined, 0.03)),
    balanced: 0.5,
    permissive: Math.max(0.5, thresholdAtFpr(benignCombined, 0.003)),
  };
  const stacked = {
    rules: computeMetrics(
      rows.map((row, index) => ({ label: row.label, score: rules[index]!, flagged: rules[index]! >= 0.5 })),
    ),
    rulesPlusModel: computeMetrics(
      rows.map((row, index) => ({
        label: row.label,
        score: combined[index]!,
        flagged: combined[index]! >= presetThresholds.balanced,
      })),
    ),
  };
  log(`calibration ${JSON.stringify(calibration)} thresholds ${JSON.stringify(presetThresholds)}`);
  for (const source of [...new Set(rows.map((row) => row.source))].sort()) {
    const members = rows.map((row, index) => ({ row, index })).filter((entry) => entry.row.source === source);
    const rate = (flag: (index: number) => boolean) =>
      (
        members.filter((entry) => flag(entry.index) === (entry.row.label === 1)).length / members.length
      ).toFixed(3);
    log(
      `  validation ${source}: rules ${rate((index) => rules[index]! >= 0.5)} rules+model ${rate((index) => combined[index]! >= 0.5)}`,
    );
  }
  log(`validation rules@0.5 ${JSON.stringify(stacked.rules)}`);
  log(`validation rules+model@balanced ${JSON.stringify(stacked.rulesPlusModel)}`);
  const validation: Record<string, unknown> = {};
  const sources = [...new Set(rows.map((row) => row.source))].sort();
  for (const source of sources) {
    const scored = rows
      .map((row, index) => ({ row, score: best.scores[index]! }))
      .filter((entry) => entry.row.source === source)
      .map((entry) => ({ label: entry.row.label, score: entry.score, flagged: entry.score >= threshold }));
    validation[source] = computeMetrics(scored);
  }
  const pooled = computeMetrics(
    rows.map((row, index) => ({
      label: row.label,
      score: best.scores[index]!,
      flagged: best.scores[index]! >= threshold,
    })),
  );
  log(
    `chosen ${JSON.stringify(best.hyper)}; threshold@1%FPR=${threshold.toFixed(4)}; pooled OOF ${JSON.stringify(pooled)}`,
  );

  const model = train(rows, best.hyper, seed);
  const metadata = {
    name: 'injection-v1',
    seed,
    hyperparameters: best.hyper,
    threshold,
    calibration,
    modelFloor,
    presetThresholds,
    operatingPoint: {
      criterion:
        'max balanced accuracy averaged over sources (real and synthetic attack sources half each), real benign pass >= 99%, synthetic look-alike pass >= 95%, a weak rule hit never cancels a confident model',
      ...searched,
    },
    data: summary,
    validation: {
      method: 'out-of-fold, folds held out by source',
      folds: SOURCE_FOLDS,
      pooled,
      stacked,
      perSource: validation,
    },
  };
  const outDir = resolve(args.out);
  mkdirSync(outDir, { recursive: true });
  const bytes = encodeModel(model, metadata);
  writeFileSync(join(outDir, 'injection-v1.bin'), bytes);
  writeModelCard({ outDir, metadata, bytes: bytes.length });
  log(`wrote ${join(outDir, 'injection-v1.bin')} (${bytes.length} bytes)`);
}

try {
  main();
} catch (error) {
  // Argument and data errors are the user's to fix: a clear message and exit 2, no stack trace.
  if (!isAegisError(error)) throw error;
  log(`train: ${error.message} [${error.code}]`);
  process.exitCode = 2;
}
