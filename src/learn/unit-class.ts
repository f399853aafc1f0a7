import { isInvisible, isSpace, isWordCode, LOWER } from './hashed-features.js';

/** A code unit the hasher skips entirely (invisible characters). */
export const SKIPPED = 3;
/** Whitespace: folded into one space. */
export const BLANK = 1;
/** A word character (after lower-casing): part of word features. */
export const WORD_CODE = 2;
/** Any other character: part of character n-grams only. */
export const OTHER = 0;

/**
 * Class of every UTF-16 code unit, derived from the hasher's own predicates once (64 KiB), so the fused
 * inference loops read one table per character instead of calling the predicates.
 */
export const UNIT_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    if (isInvisible(code)) table[code] = SKIPPED;
    else if (isSpace(code)) table[code] = BLANK;
    else table[code] = isWordCode(LOWER[code]!) ? WORD_CODE : OTHER;
  }
  return table;
})();
