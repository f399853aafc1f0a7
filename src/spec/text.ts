/**
 * A normalized view of a text. Detectors look at `text` (NFKC, confusables folded, invisible
 * characters removed) and map every span back to `original` with `toOriginal`, so obfuscation does
 * not hide what they look for while spans still point at the caller's text.
 */
export interface NormalizedText {
  /** The caller's text, unchanged. */
  readonly original: string;
  /** The normalized text. */
  readonly text: string;
  /** Maps an offset in `text` to the offset in `original`. `toOriginal(text.length) === original.length`. */
  toOriginal(index: number): number;
  /** True when `text !== original`. */
  readonly changed: boolean;
}

/** Builds a `NormalizedText` from a raw string. */
export type Normalizer = (text: string) => NormalizedText;

/** The identity view: for texts that need no normalization. */
export function identityText(text: string): NormalizedText {
  return { original: text, text, toOriginal: (index) => index, changed: false };
}
