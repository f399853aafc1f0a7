import {
  BIGRAM_SALT,
  type FeatureSpec,
  FNV_BASIS,
  FNV_PRIME,
  GOLDEN,
  LOWER,
  SALTS,
  SPACE,
  WORD_SALT,
} from './hashed-features.js';
import { isUnrolledSpec, sumUnrolledGrams } from './sum-char-grams.js';
import {
  BLANK as BLANK_CLASS,
  SKIPPED as SKIPPED_CLASS,
  UNIT_CLASS as UNIT_CLASSES,
  WORD_CODE as WORD_CLASS,
} from './unit-class.js';

// Imported bindings copied into module constants once: some loaders (tsx, bundlers emitting CommonJS)
// turn every use of an imported binding into a getter call, which would dominate this hot loop.
const PRIME = FNV_PRIME;
const BASIS = FNV_BASIS;
const MIX = GOLDEN;
const SPACE_CODE = SPACE;
const WORD = WORD_SALT;
const BIGRAM = BIGRAM_SALT;
const LOWER_TABLE = LOWER;
const LENGTH_SALTS = SALTS;

const UNIT_CLASS = UNIT_CLASSES;
const BLANK = BLANK_CLASS;
const WORD_CODE = WORD_CLASS;
const SKIPPED = SKIPPED_CLASS;

/** Marks a bucket whose weight does not fit the 8-bit range: its value is in the outlier map. */
export const OUTLIER = -128;

/** A quantized weight; the rare outlier (about one bucket in a thousand) is read from the map. */
function weightAt(weights: Int8Array, outliers: ReadonlyMap<number, number>, bucket: number): number {
  const value = weights[bucket]!;
  return value !== OUTLIER ? value : outliers.get(bucket)!;
}

/** Sums of the weights of a text's features per group, and the feature counts, as inference needs them. */
export interface FeatureSums {
  charSum: number;
  charCount: number;
  wordSum: number;
  wordCount: number;
}

/** Fresh zeroed sums (reused across calls by the scorer to avoid per-call allocation). */
export function emptyFeatureSums(): FeatureSums {
  return { charSum: 0, charCount: 0, wordSum: 0, wordCount: 0 };
}

/**
 * Writes into `sums` the weight sums of the hashed features of `text[start, end)`: the same features, in
 * the same buckets, as `hashFeatures` streams (a property test pins the equality), but in one loop with
 * the ring of codes in registers and the weight lookup inlined. The streaming hasher calls a closure and
 * a sink per feature; this fused loop is several times faster and is the inference hot path.
 */
export function sumFeatureWeights(
  text: string,
  range: {
    start: number;
    end: number;
    spec: FeatureSpec;
    weights: Int8Array;
    outliers: ReadonlyMap<number, number>;
  },
  sums: FeatureSums,
): void {
  // The shipped model's spec (and its neighbours) have an unrolled loop (same features, see its tests).
  if (isUnrolledSpec(range.spec)) {
    sumUnrolledGrams(text, range, sums);
    return;
  }
  const { spec, weights, outliers } = range;
  const end = range.end;
  const shift = 32 - spec.bits;
  const charMin = spec.charMin;
  const charMax = spec.charMax;
  const bigrams = spec.wordBigrams;
  const salt1 = LENGTH_SALTS[1]!;
  const salt2 = LENGTH_SALTS[2]!;
  const salt3 = LENGTH_SALTS[3]!;
  const salt4 = LENGTH_SALTS[4]!;
  const salt5 = LENGTH_SALTS[5]!;
  const salt6 = LENGTH_SALTS[6]!;
  const salt7 = LENGTH_SALTS[7]!;
  const salt8 = LENGTH_SALTS[8]!;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let c4 = 0;
  let c5 = 0;
  let c6 = 0;
  let c7 = 0;
  let c8 = 0;
  let count = 0;
  let previousWasSpace = false;
  let wordHash = 0;
  let inWord = false;
  let previousWord = 0;
  let hasPreviousWord = false;
  let charSum = 0;
  let charCount = 0;
  let wordSum = 0;
  let wordCount = 0;

  // Position start - 1 is the leading virtual space, position end the trailing one.
  for (let index = range.start - 1; index <= end; index++) {
    let code = SPACE_CODE;
    let push = true;
    let wordCode = false;
    if (index === range.start - 1) {
      previousWasSpace = true;
    } else if (index === end) {
      push = !previousWasSpace;
    } else {
      const raw = text.charCodeAt(index);
      const kind = UNIT_CLASS[raw]!;
      if (kind === SKIPPED) continue;
      if (kind === BLANK) {
        push = !previousWasSpace;
        previousWasSpace = true;
      } else {
        code = LOWER_TABLE[raw]!;
        previousWasSpace = false;
        wordCode = kind === WORD_CODE;
      }
    }

    // Word unigrams and bigrams, emitted when a word ends.
    if (wordCode) {
      if (!inWord) {
        inWord = true;
        wordHash = BASIS;
      }
      wordHash = Math.imul(wordHash ^ code, PRIME);
    } else if (inWord) {
      inWord = false;
      wordSum += weightAt(weights, outliers, Math.imul(wordHash ^ WORD, MIX) >>> shift);
      wordCount++;
      if (bigrams && hasPreviousWord) {
        const bigram = Math.imul(Math.imul(previousWord, 31) ^ wordHash ^ BIGRAM, PRIME);
        wordSum += weightAt(weights, outliers, Math.imul(bigram, MIX) >>> shift);
        wordCount++;
      }
      previousWord = wordHash;
      hasPreviousWord = true;
    }
    if (!push) continue;

    // Character n-grams ending at the new code, newest character first (FNV-1a order).
    c8 = c7;
    c7 = c6;
    c6 = c5;
    c5 = c4;
    c4 = c3;
    c3 = c2;
    c2 = c1;
    c1 = code;
    count++;
    const available = Math.min(count, charMax);
    // Length k is emitted when charMin ≤ k ≤ available; hashing past `available` reads zero codes and
    // is discarded, cheaper than branching out early (lengths 7 and 8 are hashed only when used).
    let hash = Math.imul(BASIS ^ c1, PRIME);
    if (charMin <= 1) {
      charSum += weightAt(weights, outliers, Math.imul(hash ^ salt1, MIX) >>> shift);
      charCount++;
    }
    hash = Math.imul(hash ^ c2, PRIME);
    if (charMin <= 2 && available >= 2) {
      charSum += weightAt(weights, outliers, Math.imul(hash ^ salt2, MIX) >>> shift);
      charCount++;
    }
    hash = Math.imul(hash ^ c3, PRIME);
    if (charMin <= 3 && available >= 3) {
      charSum += weightAt(weights, outliers, Math.imul(hash ^ salt3, MIX) >>> shift);
      charCount++;
    }
    hash = Math.imul(hash ^ c4, PRIME);
    if (charMin <= 4 && available >= 4) {
      charSum += weightAt(weights, outliers, Math.imul(hash ^ salt4, MIX) >>> shift);
      charCount++;
    }
    hash = Math.imul(hash ^ c5, PRIME);
    if (charMin <= 5 && available >= 5) {
      charSum += weightAt(weights, outliers, Math.imul(hash ^ salt5, MIX) >>> shift);
      charCount++;
    }
    hash = Math.imul(hash ^ c6, PRIME);
    if (charMin <= 6 && available >= 6) {
      charSum += weightAt(weights, outliers, Math.imul(hash ^ salt6, MIX) >>> shift);
      charCount++;
    }
    if (available >= 7) {
      hash = Math.imul(hash ^ c7, PRIME);
      if (charMin <= 7 && available >= 7) {
        charSum += weightAt(weights, outliers, Math.imul(hash ^ salt7, MIX) >>> shift);
        charCount++;
      }
      hash = Math.imul(hash ^ c8, PRIME);
      if (charMin <= 8 && available >= 8) {
        charSum += weightAt(weights, outliers, Math.imul(hash ^ salt8, MIX) >>> shift);
        charCount++;
      }
    }
  }
  sums.charSum = charSum;
  sums.charCount = charCount;
  sums.wordSum = wordSum;
  sums.wordCount = wordCount;
}
