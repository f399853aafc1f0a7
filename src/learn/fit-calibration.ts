/**
 * Fits the stacking calibration of the injection score (bias and one weight per signal) by weighted
 * logistic regression on validation scores, with Newton steps (three parameters: fast and exact).
 * Features are the signals' logits; a signal scoring exactly 0 abstains (feature 0), matching
 * `combineSignals`.
 */

/** One validation row: each signal's score, the label and a sample weight. */
export interface CalibrationRow {
  scores: Readonly<Record<string, number>>;
  label: 0 | 1;
  weight: number;
}

/** A fitted calibration: bias and signal weights for `combineSignals`. */
export interface FittedCalibration {
  bias: number;
  weights: Record<string, number>;
}

const EPSILON = 1e-4;

function logitFeature(score: number | undefined): number {
  if (score === undefined || !Number.isFinite(score) || score <= 0) return 0;
  const clamped = Math.min(1 - EPSILON, Math.max(EPSILON, score));
  return Math.log(clamped / (1 - clamped));
}

function solve(matrix: number[][], vector: number[]): number[] {
  const size = vector.length;
  const a = matrix.map((row, index) => [...row, vector[index]!]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++)
      if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    const divisor = a[column]![column]! || 1e-12;
    for (let row = 0; row < size; row++) {
      if (row === column) continue;
      const factor = a[row]![column]! / divisor;
      for (let k = column; k <= size; k++) a[row]![k]! -= factor * a[column]![k]!;
    }
  }
  return a.map((row, index) => row[size]! / (row[index]! || 1e-12));
}

/** Fits `bias` and `weights[name]` for the given signal names (L2 penalty `l2` on the weights). */
export function fitCalibration(options: {
  rows: readonly CalibrationRow[];
  signals: readonly string[];
  l2?: number;
}): FittedCalibration {
  const { rows, signals } = options;
  const l2 = options.l2 ?? 1e-3;
  const size = signals.length + 1;
  const features = rows.map((row) => [1, ...signals.map((name) => logitFeature(row.scores[name]))]);
  let theta = new Array<number>(size).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    rows.forEach((row, index) => {
      const x = features[index]!;
      const z = x.reduce((sum, value, k) => sum + value * theta[k]!, 0);
      const p = 1 / (1 + Math.exp(-z));
      const w = row.weight;
      for (let i = 0; i < size; i++) {
        gradient[i]! += w * (p - row.label) * x[i]!;
        for (let j = 0; j < size; j++) hessian[i]![j]! += w * p * (1 - p) * x[i]! * x[j]!;
      }
    });
    for (let i = 1; i < size; i++) {
      gradient[i]! += l2 * theta[i]!;
      hessian[i]![i]! += l2;
    }
    const step = solve(hessian, gradient);
    theta = theta.map((value, index) => value - step[index]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return {
    bias: theta[0]!,
    weights: Object.fromEntries(signals.map((name, index) => [name, theta[index + 1]!])),
  };
}

/** Lowest threshold whose false-positive rate on the benign `scores` is at most `maxFpr`. */
export function thresholdAtFpr(benignScores: readonly number[], maxFpr: number, cap = 0.999): number {
  const sorted = [...benignScores].sort((a, b) => b - a);
  const allowed = Math.floor(sorted.length * maxFpr);
  return Math.min(cap, (sorted[allowed] ?? 0) + 1e-6);
}

/**
 * Chooses the calibration by grid search for the highest recall at a false-positive budget, with the
 * rule weight fixed at 1 and the decision made at a combined score of 0.5 (logit 0). Fixing the scale this
 * way keeps the calibration interpretable (a lone confident rule still scores above 0.5) and the preset
 * thresholds in a sane range; a log-loss fit instead spends its effort on easy rows far from the threshold.
 * Ties go to the smaller model weight, then the bias closest to 0.
 */
export function searchCalibration(options: {
  rows: readonly CalibrationRow[];
  maxFpr: number;
  /** Model scores below this abstain (feature 0) so weak model evidence cannot veto a rule hit. */
  modelFloor?: number;
}): FittedCalibration & { recall: number; falsePositiveRate: number } {
  const floor = options.modelFloor ?? 0;
  const ruleFeatures = options.rows.map((row) => logitFeature(row.scores.rules));
  const modelFeatures = options.rows.map((row) =>
    (row.scores.model ?? 0) < floor ? 0 : logitFeature(row.scores.model),
  );
  const labels = options.rows.map((row) => row.label);
  const attackCount = labels.filter((label) => label === 1).length;
  const benignCount = labels.length - attackCount;
  let best: (FittedCalibration & { recall: number; falsePositiveRate: number }) | undefined;
  for (let modelStep = 1; modelStep <= 30; modelStep++) {
    const modelWeight = modelStep / 10;
    for (let biasStep = -16; biasStep <= 12; biasStep++) {
      const bias = biasStep / 4;
      let hits = 0;
      let falsePositives = 0;
      for (let index = 0; index < labels.length; index++) {
        if (bias + ruleFeatures[index]! + modelWeight * modelFeatures[index]! < 0) continue;
        if (labels[index] === 1) hits++;
        else falsePositives++;
      }
      const falsePositiveRate = benignCount > 0 ? falsePositives / benignCount : 0;
      if (falsePositiveRate > options.maxFpr) continue;
      const recall = attackCount > 0 ? hits / attackCount : 0;
      const better =
        !best ||
        recall > best.recall + 1e-9 ||
        (Math.abs(recall - best.recall) <= 1e-9 &&
          Math.abs(bias) < Math.abs(best.bias) &&
          modelWeight === best.weights.model);
      if (better) best = { bias, weights: { rules: 1, model: modelWeight }, recall, falsePositiveRate };
    }
  }
  return best ?? { bias: -4, weights: { rules: 1, model: 0.1 }, recall: 0, falsePositiveRate: 0 };
}

/** A calibration chosen by `searchOperatingPoint`, with its validation numbers. */
export interface OperatingPoint extends FittedCalibration {
  /** Mean over attack sources of the share detected (per kind of source, then over kinds). */
  macroRecall: number;
  /** Mean over benign sources of the share passed. */
  macroPass: number;
  /** Pass rate of every constraint group (pooled over its rows). */
  groupPass: Record<string, number>;
}

/**
 * Chooses the calibration (bias, rule weight, model weight) whose decision at a combined score of 0.5
 * maximises balanced accuracy macro-averaged over sources (mean detection over attack sources and mean pass
 * over benign sources, so no single large source dominates), subject to a minimum pass rate for each group
 * of benign rows (for example 99% on real benign prompts, 95% on synthetic trigger-word look-alikes).
 * Ties go to the first rule weight listed, then the smaller model weight, then the lower bias.
 */
export function searchOperatingPoint(options: {
  rows: readonly (CalibrationRow & { source: string; group?: string })[];
  minPass: Readonly<Record<string, number>>;
  modelFloor?: number;
  ruleWeights?: readonly number[];
  /**
   * Kind of an attack source (e.g. real or synthetic): detection is averaged over the sources of each kind,
   * then over kinds, so many small synthetic sources do not outweigh the few real ones. Default: one kind.
   */
  attackKindOf?: (source: string) => string;
  /**
   * No-veto constraint: a text the model scores at least `modelScore` must be flagged even when only a
   * rule scoring `ruleScore` fired. A large rule weight turns a weak rule hit (score below 0.5, negative
   * logit) into strong evidence against an attack; this keeps a weak rule hit from cancelling a confident
   * model.
   */
  noVeto?: { ruleScore: number; modelScore: number };
}): OperatingPoint | undefined {
  const floor = options.modelFloor ?? 0;
  const rows = options.rows;
  const kindOf = options.attackKindOf ?? (() => 'all');
  const ruleFeatures = rows.map((row) => logitFeature(row.scores.rules));
  const modelFeatures = rows.map((row) =>
    (row.scores.model ?? 0) < floor ? 0 : logitFeature(row.scores.model),
  );
  const sourceNames = [...new Set(rows.map((row) => `${row.label}:${row.source}`))];
  const sourceIndex = rows.map((row) => sourceNames.indexOf(`${row.label}:${row.source}`));
  const sourceSizes = sourceNames.map(
    (name) => rows.filter((row) => `${row.label}:${row.source}` === name).length,
  );
  const groupNames = Object.keys(options.minPass);
  const groupIndex = rows.map((row) => (row.label === 0 && row.group ? groupNames.indexOf(row.group) : -1));
  const groupSizes = groupNames.map((_, group) => groupIndex.filter((value) => value === group).length);
  let best: OperatingPoint | undefined;
  let bestObjective = -1;
  for (const ruleWeight of options.ruleWeights ?? [1]) {
    for (let modelStep = 1; modelStep <= 30; modelStep++) {
      const modelWeight = modelStep / 10;
      for (let biasStep = -32; biasStep <= 12; biasStep++) {
        const bias = biasStep / 4;
        if (options.noVeto) {
          const { ruleScore, modelScore } = options.noVeto;
          const model = modelScore < floor ? 0 : logitFeature(modelScore);
          if (bias + ruleWeight * logitFeature(ruleScore) + modelWeight * model < 0) continue;
        }
        const flaggedPerSource = new Array<number>(sourceNames.length).fill(0);
        const flaggedPerGroup = new Array<number>(groupNames.length).fill(0);
        for (let index = 0; index < rows.length; index++) {
          if (bias + ruleWeight * ruleFeatures[index]! + modelWeight * modelFeatures[index]! < 0) continue;
          flaggedPerSource[sourceIndex[index]!]!++;
          const group = groupIndex[index]!;
          if (group >= 0) flaggedPerGroup[group]!++;
        }
        const groupPass: Record<string, number> = {};
        let feasible = true;
        groupNames.forEach((name, group) => {
          const pass = groupSizes[group]! > 0 ? 1 - flaggedPerGroup[group]! / groupSizes[group]! : 1;
          groupPass[name] = pass;
          if (pass < options.minPass[name]!) feasible = false;
        });
        if (!feasible) continue;
        const recallByKind = new Map<string, { sum: number; count: number }>();
        let passSum = 0;
        let passCount = 0;
        sourceNames.forEach((name, source) => {
          const share = flaggedPerSource[source]! / sourceSizes[source]!;
          if (name.startsWith('1:')) {
            const kind = kindOf(name.slice(2));
            const entry = recallByKind.get(kind) ?? { sum: 0, count: 0 };
            entry.sum += share;
            entry.count++;
            recallByKind.set(kind, entry);
          } else {
            passSum += 1 - share;
            passCount++;
          }
        });
        const kinds = [...recallByKind.values()];
        const macroRecall =
          kinds.length > 0 ? kinds.reduce((sum, kind) => sum + kind.sum / kind.count, 0) / kinds.length : 0;
        const macroPass = passCount > 0 ? passSum / passCount : 1;
        const objective = (macroRecall + macroPass) / 2;
        if (objective > bestObjective + 1e-9) {
          bestObjective = objective;
          best = {
            bias,
            weights: { rules: ruleWeight, model: modelWeight },
            macroRecall,
            macroPass,
            groupPass,
          };
        }
      }
    }
  }
  return best;
}
