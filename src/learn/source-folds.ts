/**
 * Validation folds held out BY SOURCE: each fold removes one whole dataset or synthetic generator (the
 * benign and attack rows of a dataset leave together), so every validation score comes from a model that
 * never saw that source, as the eval-only sets will be unseen. Sources not listed form their own fold.
 */
export const SOURCE_FOLDS: readonly (readonly string[])[] = [
  ['jailbreak-inthewild'],
  ['garak-probes'],
  ['bipia-email'],
  ['wildguard'],
  ['xstest'],
  ['alpaca-eval'],
  ['arena-hard'],
  ['synth-attack'],
  ['synth-obfuscated'],
  ['synth-multilingual', 'synth-multilingual-benign'],
  ['synth-lookalike'],
];

/** Index of the fold that holds `source` out (an unknown source gets the extra last fold). */
export function foldOf(source: string): number {
  const index = SOURCE_FOLDS.findIndex((fold) => fold.includes(source));
  return index < 0 ? SOURCE_FOLDS.length : index;
}

/** Number of folds including the one for unlisted sources. */
export const FOLD_COUNT = SOURCE_FOLDS.length + 1;
