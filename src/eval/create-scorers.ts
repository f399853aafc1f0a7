import { createInjectionDetector } from '../detect/injection.js';
import { normalizeText } from '../detect/normalize.js';
import { createGuard } from '../guard/create-guard.js';
import { loadModel } from '../learn/load-model.js';
import { MODEL_CALIBRATION, MODEL_FLOOR } from '../learn/model-calibration.js';
import { createModelSignal } from '../learn/model-signal.js';
import type { Policy, PresetName } from '../policy/policy-types.js';
import type { AsyncDetector, Detector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { DatasetRow } from './dataset-row.js';
import type { EvalScorer, RowScore } from './run-evaluation.js';

/** Configurations `aegis eval --compare` knows. */
export const SCORER_NAMES = ['rules', 'model', 'rules+model'] as const;
export type ScorerName = (typeof SCORER_NAMES)[number];

/** Optional back-ends a configuration adds with `+onnx` / `+judge` (or runs alone: `onnx`, `judge`). */
export const BACKEND_NAMES = ['onnx', 'judge'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The opened back-ends configurations may use. */
export type ScorerBackends = Partial<Record<BackendName, AsyncDetector>>;

// Parts of a configuration name in their one accepted order, so each configuration has one name.
const PARTS = ['rules', 'model', ...BACKEND_NAMES] as const;

/** How configurations are named, for errors and help. */
export const CONFIGURATION_GRAMMAR =
  'rules, model or rules+model, each optionally followed by +onnx and/or +judge (e.g. rules+model+judge), or onnx, judge, onnx+judge alone';

/**
 * Splits a configuration name into its built-in part and its back-ends, or `undefined` when it is not a
 * name in canonical order (`rules+model+onnx+judge`, never `judge+rules`).
 */
export function parseConfigurationName(
  name: string,
): { base: ScorerName | undefined; backends: BackendName[] } | undefined {
  const parts = name.split('+');
  const canonical = PARTS.filter((part) => parts.includes(part));
  if (canonical.length === 0 || canonical.join('+') !== name) return undefined;
  const base = canonical.filter((part) => part === 'rules' || part === 'model').join('+');
  return {
    base: base === '' ? undefined : (base as ScorerName),
    backends: canonical.filter((part): part is BackendName =>
      (BACKEND_NAMES as readonly string[]).includes(part),
    ),
  };
}

/** Parses every configuration name, throwing `AEGIS_INVALID_ARGUMENT` at the first unknown one. */
export function parseConfigurationNames(
  names: readonly string[],
): { name: string; base: ScorerName | undefined; backends: BackendName[] }[] {
  return names.map((name) => {
    const configuration = parseConfigurationName(name);
    if (configuration === undefined) {
      throw new AegisError(
        ERROR_CODES.INVALID_ARGUMENT,
        `unknown configuration "${name}" in --compare; known: ${CONFIGURATION_GRAMMAR}`,
      );
    }
    return { name, ...configuration };
  });
}

/** The option that turns on a back-end, for errors. */
const BACKEND_FLAG: Record<BackendName, string> = {
  onnx: '--onnx-model DIR',
  judge: '--judge-url URL and --judge-model NAME',
};

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
  /** Back-ends for configurations that name them (`rules+model+judge`). */
  backends?: ScorerBackends;
}): EvalScorer[] {
  const parsed = parseConfigurationNames(options.names).map((configuration) => {
    for (const backend of configuration.backends) {
      if (options.backends?.[backend] === undefined) {
        throw new AegisError(
          ERROR_CODES.INVALID_ARGUMENT,
          `configuration "${configuration.name}" runs the ${backend} back-end: give ${BACKEND_FLAG[backend]} (or --backends FILE)`,
        );
      }
    }
    return configuration;
  });
  return parsed.map(({ name, base, backends }) => {
    const asyncDetectors = backends.map((backend) => options.backends![backend]!);
    const guard = createGuard({
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      detectors: base === undefined ? [] : [detectorFor(base, options.modelPath)],
      ...(asyncDetectors.length > 0 ? { asyncDetectors } : {}),
      normalize: normalizeText,
    });
    if (asyncDetectors.length === 0) {
      return {
        name,
        score(row: DatasetRow) {
          const verdict = guard.check(row.text, { role: row.role ?? 'user', detectors: ['injection'] });
          return { score: verdict.score, flagged: verdict.action !== 'allow' };
        },
      };
    }
    const ids = asyncDetectors.map((detector) => detector.id);
    return {
      name,
      backends: ids,
      async score(row: DatasetRow): Promise<RowScore> {
        const verdict = await guard.checkAsync(row.text, {
          role: row.role ?? 'user',
          detectors: ['injection'],
        });
        const failure = verdict.errors?.find((error) => ids.includes(error.detector));
        return {
          score: verdict.score,
          flagged: verdict.action !== 'allow',
          ...(failure === undefined ? {} : { failure }),
        };
      },
    };
  });
}
