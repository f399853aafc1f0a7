/**
 * Combines the injection signals of one text (rules, a learned model, …) into one calibrated score.
 *
 * The model is logistic stacking: `score = sigmoid(bias + Σ weight[name] · logit(p[name]))`, where
 * `p[name]` is the signal's probability-like score clamped to `[epsilon, 1 - epsilon]`. A signal that
 * reports exactly 0 abstains (it saw no evidence at all; for rules this means no rule fired), so a
 * low-recall signal never drags down a confident one. With only the rule signal and the default values
 * the combined score equals the rule score. `bias` and `weights` are the parameters a later fit on
 * validation data replaces (for example by logistic regression on the signals' logits).
 */
export interface Calibration {
  /** Added to the weighted logit sum (log-odds of the prior). */
  readonly bias: number;
  /** Weight of each signal's logit, by signal name. */
  readonly weights: Readonly<Record<string, number>>;
  /** Weight of a signal not listed in `weights`. */
  readonly defaultWeight: number;
  /** Scores are clamped to `[epsilon, 1 - epsilon]` before taking the logit. */
  readonly epsilon: number;
}

/** Default calibration: rules alone pass through unchanged; other signals add their log-odds. */
export const DEFAULT_CALIBRATION: Calibration = Object.freeze({
  bias: 0,
  weights: Object.freeze({ rules: 1 }),
  defaultWeight: 1,
  epsilon: 1e-4,
});

/** The score one signal gave a text. */
export interface SignalScore {
  readonly name: string;
  readonly score: number;
}

/** The combined score and the names of the signals that contributed to it. */
export interface CombinedScore {
  readonly score: number;
  readonly contributors: readonly string[];
}

function logit(probability: number): number {
  return Math.log(probability / (1 - probability));
}

/** Combines signal scores into one score 0..1 (see the module comment for the model). */
export function combineSignals(
  scores: readonly SignalScore[],
  calibration: Calibration = DEFAULT_CALIBRATION,
): CombinedScore {
  let sum = calibration.bias;
  const contributors: string[] = [];
  for (const { name, score } of scores) {
    if (!Number.isFinite(score) || score <= 0) continue;
    const weight = calibration.weights[name] ?? calibration.defaultWeight;
    if (weight === 0) continue;
    const clamped = Math.min(1 - calibration.epsilon, Math.max(calibration.epsilon, score));
    sum += weight * logit(clamped);
    contributors.push(name);
  }
  if (contributors.length === 0) return { score: 0, contributors };
  return { score: 1 / (1 + Math.exp(-sum)), contributors };
}
