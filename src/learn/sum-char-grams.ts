import type { FeatureSums } from './feature-weight-sums.js';
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
import {
  BLANK as BLANK_CLASS,
  SKIPPED as SKIPPED_CLASS,
  UNIT_CLASS as UNIT_CLASSES,
  WORD_CODE as WORD_CLASS,
} from './unit-class.js';

// Imported bindings copied into module constants once (some loaders turn each use into a getter call).
const PRIME = FNV_PRIME;
const BASIS = FNV_BASIS;
const MIX = GOLDEN;
const SPACE_CODE = SPACE;
const WORD = WORD_SALT;
const BIGRAM = BIGRAM_SALT;
const LOWER_TABLE = LOWER;
const SALT2 = SALTS[2]!;
const SALT3 = SALTS[3]!;
const SALT4 = SALTS[4]!;
const SALT5 = SALTS[5]!;
const SALT6 = SALTS[6]!;

const UNIT_CLASS = UNIT_CLASSES;
const BLANK = BLANK_CLASS;
const WORD_CODE = WORD_CLASS;
const SKIPPED = SKIPPED_CLASS;
/** Marks a bucket whose weight does not fit the 8-bit range (`feature-weight-sums.ts` `OUTLIER`). */
const OUTLIER = -128;

/**
 * True for the specs this loop is written for: character n-grams from 2 or 3 up to 5 or 6 characters
 * (`injection-v1` uses 3 to 5). Other specs take the general loop in `feature-weight-sums.ts`.
 */
export function isUnrolledSpec(spec: FeatureSpec): boolean {
  return (spec.charMin === 2 || spec.charMin === 3) && (spec.charMax === 5 || spec.charMax === 6);
}

/**
 * `sumFeatureWeights` for character n-grams of lengths 2|3 to 5|6: the same features in the same buckets (the tests
 * compare it with the streaming hasher on random and adversarial text), with the lengths unrolled, no
 * per-length checks once six codes have been seen, and the virtual spaces at both ends handled outside the
 * per-character work. The 8-bit weights are summed as integers (exact, and a short dependency chain) and
 * the rare outliers apart; both are added at the end, so a sum can differ from adding in text order only
 * by the rounding of the outlier additions (around 1e-13, far below what moves a score).
 */
export function sumUnrolledGrams(
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
  const { spec, weights, outliers } = range;
  const end = range.end;
  const shift = 32 - spec.bits;
  const bigrams = spec.wordBigrams;
  // Loop-invariant flags: the hash chain always runs from length 2, only the lookups depend on them.
  const withTwo = spec.charMin === 2;
  const withSix = spec.charMax === 6;
  // The leading virtual space is pushed already: it alone forms no n-gram of length 2 or more.
  let c1 = SPACE_CODE;
  let c2 = 0;
  let c3 = 0;
  let c4 = 0;
  let c5 = 0;
  let c6 = 0;
  let count = 1;
  let previousWasSpace = true;
  let wordHash = 0;
  let inWord = false;
  let previousWord = 0;
  let hasPreviousWord = false;
  let charSum = 0;
  let charOutliers = 0;
  let charCount = 0;
  let wordSum = 0;
  let wordOutliers = 0;
  let wordCount = 0;

  // Position `end` is the trailing virtual space, pushed unless the text already ended in blank.
  for (let index = range.start; index <= end; index++) {
    let code = SPACE_CODE;
    let push = true;
    let wordCode = false;
    if (index < end) {
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
    } else {
      push = !previousWasSpace;
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
      let bucket = Math.imul(wordHash ^ WORD, MIX) >>> shift;
      let value = weights[bucket]!;
      if (value !== OUTLIER) wordSum += value;
      else wordOutliers += outliers.get(bucket)!;
      wordCount++;
      if (bigrams && hasPreviousWord) {
        bucket = Math.imul(Math.imul(Math.imul(previousWord, 31) ^ wordHash ^ BIGRAM, PRIME), MIX) >>> shift;
        value = weights[bucket]!;
        if (value !== OUTLIER) wordSum += value;
        else wordOutliers += outliers.get(bucket)!;
        wordCount++;
      }
      previousWord = wordHash;
      hasPreviousWord = true;
    }
    if (!push) continue;

    // Character n-grams ending at the new code, newest character first (FNV-1a order).
    c6 = c5;
    c5 = c4;
    c4 = c3;
    c3 = c2;
    c2 = c1;
    c1 = code;
    count++;
    let hash = Math.imul(Math.imul(BASIS ^ c1, PRIME) ^ c2, PRIME);
    let bucket = 0;
    let value = 0;
    if (withTwo) {
      bucket = Math.imul(hash ^ SALT2, MIX) >>> shift;
      value = weights[bucket]!;
      if (value !== OUTLIER) charSum += value;
      else charOutliers += outliers.get(bucket)!;
      charCount++;
    }
    if (count < 6) {
      // The first codes of a range: only the lengths that fit.
      if (count < 3) continue;
      hash = Math.imul(hash ^ c3, PRIME);
      bucket = Math.imul(hash ^ SALT3, MIX) >>> shift;
      value = weights[bucket]!;
      if (value !== OUTLIER) charSum += value;
      else charOutliers += outliers.get(bucket)!;
      charCount++;
      if (count < 4) continue;
      hash = Math.imul(hash ^ c4, PRIME);
      bucket = Math.imul(hash ^ SALT4, MIX) >>> shift;
      value = weights[bucket]!;
      if (value !== OUTLIER) charSum += value;
      else charOutliers += outliers.get(bucket)!;
      charCount++;
      if (count < 5) continue;
      hash = Math.imul(hash ^ c5, PRIME);
      bucket = Math.imul(hash ^ SALT5, MIX) >>> shift;
      value = weights[bucket]!;
      if (value !== OUTLIER) charSum += value;
      else charOutliers += outliers.get(bucket)!;
      charCount++;
      continue;
    }
    hash = Math.imul(hash ^ c3, PRIME);
    bucket = Math.imul(hash ^ SALT3, MIX) >>> shift;
    value = weights[bucket]!;
    if (value !== OUTLIER) charSum += value;
    else charOutliers += outliers.get(bucket)!;
    hash = Math.imul(hash ^ c4, PRIME);
    bucket = Math.imul(hash ^ SALT4, MIX) >>> shift;
    value = weights[bucket]!;
    if (value !== OUTLIER) charSum += value;
    else charOutliers += outliers.get(bucket)!;
    hash = Math.imul(hash ^ c5, PRIME);
    bucket = Math.imul(hash ^ SALT5, MIX) >>> shift;
    value = weights[bucket]!;
    if (value !== OUTLIER) charSum += value;
    else charOutliers += outliers.get(bucket)!;
    charCount += 3;
    if (withSix) {
      hash = Math.imul(hash ^ c6, PRIME);
      bucket = Math.imul(hash ^ SALT6, MIX) >>> shift;
      value = weights[bucket]!;
      if (value !== OUTLIER) charSum += value;
      else charOutliers += outliers.get(bucket)!;
      charCount++;
    }
  }
  sums.charSum = charSum + charOutliers;
  sums.charCount = charCount;
  sums.wordSum = wordSum + wordOutliers;
  sums.wordCount = wordCount;
}
