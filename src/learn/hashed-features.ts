/**
 * Hashed n-gram features for the learned injection detector.
 *
 * The text is normalized on the fly (lowercased, zero-width characters dropped, whitespace runs folded to
 * one space) and two groups of features are hashed into `2^bits` buckets without allocating a string per
 * n-gram: character n-grams (lengths `charMin..charMax`, built from a rolling ring of the last codes) and
 * word unigrams and bigrams. We write this ourselves rather than use a tokenizer library because the hot
 * loop must run at many MB/s on one core with no allocation, and training and inference must hash
 * identically.
 */

/** Shape of the feature space; stored in the model header so that inference hashes like training did. */
export interface FeatureSpec {
  /** log2 of the number of buckets (18..22). */
  bits: number;
  /** Shortest character n-gram (≥ 1). */
  charMin: number;
  /** Longest character n-gram (≤ 8). */
  charMax: number;
  /** Include word bigrams next to unigrams. */
  wordBigrams: boolean;
}

/** The feature space of `injection-v1`. */
export const DEFAULT_FEATURE_SPEC: FeatureSpec = { bits: 18, charMin: 3, charMax: 5, wordBigrams: true };

/** Receives every hashed feature: its bucket and its group (0 = character n-gram, 1 = word n-gram). */
export interface FeatureSink {
  add(bucket: number, group: 0 | 1): void;
}

/** Hash constants shared with the fused scorer (`feature-weight-sums.ts`), which must hash identically. */
export const FNV_PRIME = 0x01000193;
export const FNV_BASIS = 0x811c9dc5;
export const GOLDEN = 0x9e3779b1;
export const SPACE = 0x20;
export const WORD_SALT = 0x5bd1e995;
export const BIGRAM_SALT = 0x27d4eb2f;

/** Per-length salts of character n-grams. */
export const SALTS = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((length) => Math.imul(length, 0x3c6ef372));

/** Lowercase map for the Basic Multilingual Plane, built once (single code unit results only). */
export const LOWER = buildLowerTable();

function buildLowerTable(): Uint16Array {
  const table = new Uint16Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    table[code] = code;
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const lower = String.fromCharCode(code).toLowerCase();
    if (lower.length === 1) table[code] = lower.charCodeAt(0);
  }
  return table;
}

/** True for characters removed before hashing: zero-width, soft hyphen, BOM, bidi controls. */
export function isInvisible(code: number): boolean {
  return (
    code === 0xad ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    code === 0xfeff
  );
}

export function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x3000;
}

/** Letters, digits and any non-ASCII character that is not punctuation-like build words. */
export function isWordCode(code: number): boolean {
  if (code < 0x80) {
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
  }
  // General punctuation, CJK punctuation and full-width forms separate words.
  return !((code >= 0x2000 && code <= 0x206f) || (code >= 0x3000 && code <= 0x303f) || code === 0xff0c);
}

/**
 * Streams the hashed features of `text[start, end)` into `sink`. A virtual space pads both ends so that
 * n-grams at word boundaries at the edges exist.
 */
export function hashFeatures(
  text: string,
  range: { start: number; end: number; spec: FeatureSpec },
  sink: FeatureSink,
): void {
  const { spec } = range;
  const shift = 32 - spec.bits;
  const charMin = spec.charMin;
  const charMax = spec.charMax;
  // The last eight normalized codes, newest first, kept in locals (no array traffic in the hot loop).
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

  // Hashes the n-grams ending at the newest code, newest character first (FNV-1a order), lengths
  // charMin..charMax. Identical to hashing a ring buffer; golden tests pin the buckets.
  const pushCode = (code: number): void => {
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
    let hash = Math.imul(0x811c9dc5 ^ c1, FNV_PRIME);
    if (charMin <= 1) sink.add(Math.imul(hash ^ SALTS[1]!, GOLDEN) >>> shift, 0);
    if (available < 2) return;
    hash = Math.imul(hash ^ c2, FNV_PRIME);
    if (charMin <= 2) sink.add(Math.imul(hash ^ SALTS[2]!, GOLDEN) >>> shift, 0);
    if (available < 3) return;
    hash = Math.imul(hash ^ c3, FNV_PRIME);
    if (charMin <= 3) sink.add(Math.imul(hash ^ SALTS[3]!, GOLDEN) >>> shift, 0);
    if (available < 4) return;
    hash = Math.imul(hash ^ c4, FNV_PRIME);
    if (charMin <= 4) sink.add(Math.imul(hash ^ SALTS[4]!, GOLDEN) >>> shift, 0);
    if (available < 5) return;
    hash = Math.imul(hash ^ c5, FNV_PRIME);
    if (charMin <= 5) sink.add(Math.imul(hash ^ SALTS[5]!, GOLDEN) >>> shift, 0);
    if (available < 6) return;
    hash = Math.imul(hash ^ c6, FNV_PRIME);
    if (charMin <= 6) sink.add(Math.imul(hash ^ SALTS[6]!, GOLDEN) >>> shift, 0);
    if (available < 7) return;
    hash = Math.imul(hash ^ c7, FNV_PRIME);
    if (charMin <= 7) sink.add(Math.imul(hash ^ SALTS[7]!, GOLDEN) >>> shift, 0);
    if (available < 8) return;
    hash = Math.imul(hash ^ c8, FNV_PRIME);
    sink.add(Math.imul(hash ^ SALTS[8]!, GOLDEN) >>> shift, 0);
  };
  const endWord = (): void => {
    if (!inWord) return;
    inWord = false;
    sink.add(Math.imul(wordHash ^ WORD_SALT, GOLDEN) >>> shift, 1);
    if (spec.wordBigrams && hasPreviousWord) {
      const bigram = Math.imul(Math.imul(previousWord, 31) ^ wordHash ^ BIGRAM_SALT, FNV_PRIME);
      sink.add(Math.imul(bigram, GOLDEN) >>> shift, 1);
    }
    previousWord = wordHash;
    hasPreviousWord = true;
  };

  pushCode(SPACE);
  previousWasSpace = true;
  for (let index = range.start; index < range.end; index++) {
    const raw = text.charCodeAt(index);
    if (isInvisible(raw)) continue;
    if (isSpace(raw)) {
      endWord();
      if (!previousWasSpace) pushCode(SPACE);
      previousWasSpace = true;
      continue;
    }
    const code = raw < 0x80 ? (raw >= 0x41 && raw <= 0x5a ? raw + 32 : raw) : LOWER[raw]!;
    previousWasSpace = false;
    pushCode(code);
    if (isWordCode(code)) {
      if (!inWord) {
        inWord = true;
        wordHash = 0x811c9dc5;
      }
      wordHash = Math.imul(wordHash ^ code, FNV_PRIME);
    } else {
      endWord();
    }
  }
  endWord();
  if (!previousWasSpace) pushCode(SPACE);
}

/** A growable list of feature buckets for one text (used by training). */
export interface FeatureVector {
  /** Buckets, character features first then word features. */
  buckets: Int32Array;
  /** Number of character features at the start of `buckets`. */
  charCount: number;
}

/** Collects the features of a whole text into a compact vector. */
export function collectFeatures(text: string, spec: FeatureSpec): FeatureVector {
  const chars: number[] = [];
  const words: number[] = [];
  hashFeatures(
    text,
    { start: 0, end: text.length, spec },
    {
      add(bucket, group) {
        if (group === 0) chars.push(bucket);
        else words.push(bucket);
      },
    },
  );
  const buckets = new Int32Array(chars.length + words.length);
  buckets.set(chars, 0);
  buckets.set(words, chars.length);
  return { buckets, charCount: chars.length };
}
