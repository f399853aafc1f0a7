import type { InjectionSignal } from '../spec/detector.js';
import { createDefaultModelSignal } from './model-signal.js';

/**
 * Calibration of the injection score when the learned model joins the rules: the combined score is
 * `sigmoid(bias + weights.rules · logit(rules) + weights.model · logit(model))`, a signal scoring 0
 * abstaining (see `src/detect/injection/combine-signals.ts`). Chosen by `npm run train` on out-of-fold
 * validation scores held out by source, for the best balanced accuracy averaged over sources while real
 * benign prompts pass at least 99% and synthetic trigger-word look-alikes at least 95% (see
 * models/MODEL_CARD.md); never on eval-only data. A rule hit at about 0.73 or more flags on its own, the
 * model alone from about 0.88, and weaker evidence adds up.
 */
export const MODEL_CALIBRATION = Object.freeze({
  // npm run train -- --data ../shared/data --seed 1 --hyper 12,0.05,0.00001: out-of-fold, real benign pass
  // 99.1%, look-alike pass 95.7%, detection averaged over sources 78.6%. Refit after rule changes: the
  // training script prints the calibration, the model floor and the preset thresholds.
  bias: -1,
  weights: Object.freeze({ rules: 1, model: 0.5 }),
});

/** Model scores below this abstain in the combined score (chosen with the calibration on validation). */
export const MODEL_FLOOR = 0.5;

/** Extra injection signals available in this build: the shipped model when its weights file exists. */
export function defaultInjectionSignals(): InjectionSignal[] {
  const model = createDefaultModelSignal({ abstainBelow: MODEL_FLOOR });
  return model ? [model] : [];
}

/**
 * Options the guard adds to built-in detectors when learned weights ship with the package, keyed by
 * detector id (data, not branching): the injection detector gets the model signal and its calibration.
 * Empty when `models/injection-v1.bin` is absent, so the guard then runs the rules alone.
 */
export function learnedDetectorOptions(): Readonly<Record<string, Record<string, unknown>>> {
  const signals = defaultInjectionSignals();
  if (signals.length === 0) return {};
  return { injection: { signals, calibration: MODEL_CALIBRATION } };
}
