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
 * Chooses the calibration by grid search for the highest recall at a false-positive budget (the region
 * the presets operate in), because a log-loss fit spends its effort on easy rows far from the
 * threshold. Ties go to the smaller model weight. Returns the calibration and its recall.
 */
export function searchCalibration(options: {
  rows: readonly CalibrationRow[];
  maxFpr: number;
}): FittedCalibration & { recall: number } {
  const ruleFeatures = options.rows.map((row) => logitFeature(row.scores.rules));
  const modelFeatures = options.rows.map((row) => logitFeature(row.scores.model));
  const labels = options.rows.map((row) => row.label);
  const attackCount = labels.filter((label) => label === 1).length;
  let best: (FittedCalibration & { recall: number }) | undefined;
  for (const ruleWeight of [0.5, 1, 1.5, 2, 3]) {
    for (const modelWeight of [0.25, 0.5, 0.75, 1, 1.5, 2]) {
      for (const bias of [-4, -3, -2, -1, 0, 1, 2]) {
        const combined = ruleFeatures.map(
          (rule, index) => bias + ruleWeight * rule + modelWeight * modelFeatures[index]!,
        );
        const threshold = thresholdAtFpr(
          combined.filter((_, index) => labels[index] === 0),
          options.maxFpr,
          Number.POSITIVE_INFINITY,
        );
        let hits = 0;
        combined.forEach((value, index) => {
          if (labels[index] === 1 && value >= threshold) hits++;
        });
        const recall = attackCount > 0 ? hits / attackCount : 0;
        if (!best || recall > best.recall + 1e-9) {
          best = { bias, weights: { rules: ruleWeight, model: modelWeight }, recall };
        }
      }
    }
  }
  return best!;
}
