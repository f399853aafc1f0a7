/** A scored, labelled row: the input of every metric. */
export interface ScoredRow {
  label: 0 | 1;
  score: number;
  flagged: boolean;
}

/** Detection metrics over a list of scored rows. Rates are 0..1; undefined when not defined. */
export interface DetectionMetrics {
  rows: number;
  attacks: number;
  benign: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  /** Detection rate on attacks (recall), when the rows hold attacks. */
  recall?: number;
  /** Pass rate on benign rows (specificity), when the rows hold benign texts. */
  passRate?: number;
  precision?: number;
  f1?: number;
  /** Mean of recall and pass rate, when both classes are present. */
  balancedAccuracy?: number;
  /** Area under the ROC curve of `score`, ties counted half. */
  rocAuc?: number;
  /** Best recall reachable at a false-positive rate of at most 1% (by thresholding `score`). */
  recallAt1PctFpr?: number;
  /** Best recall reachable at a false-positive rate of at most 0.1%. */
  recallAt01PctFpr?: number;
}

function ratio(numerator: number, denominator: number): number | undefined {
  return denominator > 0 ? numerator / denominator : undefined;
}

/** Computes every metric over `rows`. */
export function computeMetrics(rows: readonly ScoredRow[]): DetectionMetrics {
  let truePositives = 0;
  let falsePositives = 0;
  let trueNegatives = 0;
  let falseNegatives = 0;
  for (const row of rows) {
    if (row.label === 1) {
      if (row.flagged) truePositives++;
      else falseNegatives++;
    } else if (row.flagged) falsePositives++;
    else trueNegatives++;
  }
  const attacks = truePositives + falseNegatives;
  const benign = trueNegatives + falsePositives;
  const recall = ratio(truePositives, attacks);
  const passRate = ratio(trueNegatives, benign);
  const precision = ratio(truePositives, truePositives + falsePositives);
  const metrics: DetectionMetrics = {
    rows: rows.length,
    attacks,
    benign,
    truePositives,
    falsePositives,
    trueNegatives,
    falseNegatives,
  };
  if (recall !== undefined) metrics.recall = recall;
  if (passRate !== undefined) metrics.passRate = passRate;
  if (attacks > 0 && precision !== undefined) metrics.precision = precision;
  if (precision !== undefined && recall !== undefined && precision + recall > 0) {
    metrics.f1 = (2 * precision * recall) / (precision + recall);
  }
  if (recall !== undefined && passRate !== undefined) {
    metrics.balancedAccuracy = (recall + passRate) / 2;
    metrics.rocAuc = rocAuc(rows);
    metrics.recallAt1PctFpr = recallAtFpr(rows, 0.01);
    metrics.recallAt01PctFpr = recallAtFpr(rows, 0.001);
  }
  return metrics;
}

/** ROC-AUC by the rank-sum (Mann–Whitney) formula, with tied scores given average ranks. */
export function rocAuc(rows: readonly ScoredRow[]): number | undefined {
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  let index = 0;
  while (index < sorted.length) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1]!.score === sorted[index]!.score) end++;
    const averageRank = (index + end) / 2 + 1;
    for (let tied = index; tied <= end; tied++) {
      if (sorted[tied]!.label === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    index = end + 1;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Highest recall over thresholds `t` (flag when score ≥ t) whose false-positive rate is at most
 * `maxFpr`. Thresholds are the observed scores, so ties move together.
 */
export function recallAtFpr(rows: readonly ScoredRow[], maxFpr: number): number | undefined {
  const positives = rows.filter((row) => row.label === 1).length;
  const negatives = rows.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  let truePositives = 0;
  let falsePositives = 0;
  let best = 0;
  let index = 0;
  while (index < sorted.length) {
    const score = sorted[index]!.score;
    while (index < sorted.length && sorted[index]!.score === score) {
      if (sorted[index]!.label === 1) truePositives++;
      else falsePositives++;
      index++;
    }
    if (falsePositives / negatives <= maxFpr) best = Math.max(best, truePositives / positives);
    else break;
  }
  return best;
}
