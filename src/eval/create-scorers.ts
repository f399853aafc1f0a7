import { createInjectionDetector } from '../detect/injection.js';
import { normalizeText } from '../detect/normalize.js';
import { createGuard } from '../guard/create-guard.js';
import { loadModel } from '../learn/load-model.js';
import { MODEL_CALIBRATION, MODEL_FLOOR } from '../learn/model-calibration.js';
import { createModelSignal } from '../learn/model-signal.js';
import type { Policy, PresetName } from '../policy/policy-types.js';
import type { Detector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { DatasetRow } from './dataset-row.js';
import type { EvalScorer } from './run-evaluation.js';

/** Configurations `aegis eval --compare` knows. */
export const SCORER_NAMES = ['rules', 'model', 'rules+model'] as const;
export type ScorerName = (typeof SCORER_NAMES)[number];

function detectorFor(name: ScorerName, modelPath: string | undefined): Detector {
  if (name === 'rules') return createInjectionDetector();
  const model = loadModel(modelPath).model;
  if (name === 'model') {
    const signal = createModelSignal({ model });
    // The model alone: the rule signal is weighted out of the combined score.
    return createInjectionDetector({
      signals: [signal],
      calibration: { bias: 0, weights: { rules: 0, model: 1 } },
    });
  }
  const signal = createModelSignal({ model, abstainBelow: MODEL_FLOOR });
  return createInjectionDetector({ signals: [signal], calibration: MODEL_CALIBRATION });
}

/**
 * Builds one scorer per configuration: a guard with the given policy running only the injection family,
 * so `flagged` is exactly what the guard would do (action other than allow) and `score` is the verdict's
 * injection score.
 */
export function createScorers(options: {
  names: readonly string[];
  policy?: Policy | PresetName | Record<string, unknown>;
  modelPath?: string;
}): EvalScorer[] {
  return options.names.map((name) => {
    if (!(SCORER_NAMES as readonly string[]).includes(name)) {
      throw new AegisError(
        ERROR_CODES.INVALID_ARGUMENT,
        `unknown configuration "${name}" in --compare; known: ${SCORER_NAMES.join(', ')}`,
      );
    }
    const guard = createGuard({
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      detectors: [detectorFor(name as ScorerName, options.modelPath)],
      normalize: normalizeText,
    });
    return {
      name,
      score(row: DatasetRow) {
        const verdict = guard.check(row.text, { role: row.role ?? 'user', detectors: ['injection'] });
        return { score: verdict.score, flagged: verdict.action !== 'allow' };
      },
    };
  });
}
