import type { InjectionSignal } from '../spec/detector.js';
import { createDefaultModelSignal } from './model-signal.js';

/**
 * Calibration of the injection score when the learned model joins the rules: the combined score is
 * `sigmoid(bias + weights.rules · logit(rules) + weights.model · logit(model))` (see
 * `src/detect/injection/combine-signals.ts`). Fitted by `npm run train` (logistic regression on
 * out-of-fold validation scores held out by source; see models/MODEL_CARD.md); never on eval-only data.
 */
export const MODEL_CALIBRATION = Object.freeze({
  bias: 0,
  weights: Object.freeze({ rules: 1, model: 1 }),
});

/** Extra injection signals available in this build: the shipped model when its weights file exists. */
export function defaultInjectionSignals(): InjectionSignal[] {
  const model = createDefaultModelSignal();
  return model ? [model] : [];
}
