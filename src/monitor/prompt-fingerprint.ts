/** Number of MinHash bins; 32 gives a Jaccard estimate within about ±0.09 (one standard deviation). */
export const MINHASH_SIZE = 32;
const SHINGLE = 4;
/** Only the start of a prompt is fingerprinted, so the cost per request is bounded (a few µs). */
const MAX_CHARS = 600;
const EMPTY = 0xffffffff;
// Rolling window of the last four characters (module scope: reused, the function is synchronous).
const shingles = new Uint32Array(4);

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function mix(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A prompt's fingerprint: MinHash signature of its character 4-grams and a hash of the whole text. */
export interface PromptFingerprint {
  signature: Uint32Array;
  exact: number;
}

/**
 * One-permutation MinHash (Li, Owen and Zhang 2012) over character 4-grams of the normalised prompt:
 * each shingle is hashed once, its top 5 bits pick one of 32 bins and each bin keeps its minimum, so
 * the cost is linear in the text rather than text × bins. Two prompts from one template with a slot
 * changed agree in most bins; the text itself is never kept.
 */
export function fingerprintPrompt(prompt: string): PromptFingerprint {
  const signature = new Uint32Array(MINHASH_SIZE).fill(EMPTY);
  // One pass, no allocation: ASCII letters folded to lower case, whitespace runs collapsed to one space,
  // the last four characters kept in a sliding window.
  let window = 0; // hash of all kept characters, for prompts shorter than one shingle
  let kept = 0;
  let exact = 0x811c9dc5;
  let previousSpace = true;
  const limit = Math.min(prompt.length, MAX_CHARS * 4);
  let index = 0;
  for (; index < limit && kept < MAX_CHARS; index += 1) {
    let code = prompt.charCodeAt(index);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
    if (space) {
      if (previousSpace) continue;
      code = 32;
    } else if (code >= 65 && code <= 90) {
      code |= 0x20;
    }
    previousSpace = space;
    kept += 1;
    exact = Math.imul(exact ^ code, 0x01000193);
    window = (Math.imul(window, 0x01000193) ^ code) >>> 0;
    shingles[kept & 3] = code;
    if (kept >= SHINGLE) {
      const hash = mix(
        Math.imul(shingles[(kept + 1) & 3] as number, 0x9e3779b1) ^
          Math.imul(shingles[(kept + 2) & 3] as number, 0x85ebca77) ^
          Math.imul(shingles[(kept + 3) & 3] as number, 0xc2b2ae3d) ^
          (shingles[kept & 3] as number),
      );
      const bin = hash >>> 27;
      const value = hash & 0x07ffffff;
      if (value < (signature[bin] as number)) signature[bin] = value;
    }
  }
  // Prompts longer than the fingerprinted prefix may differ only at the end: the length and the last
  // 64 characters decide whether two prompts are the same text (a retry) or variants.
  exact = Math.imul(exact ^ prompt.length, 0x01000193);
  for (let tail = Math.max(index, prompt.length - 64); tail < prompt.length; tail += 1) {
    exact = Math.imul(exact ^ prompt.charCodeAt(tail), 0x01000193);
  }
  if (kept > 0 && kept < SHINGLE) {
    const hash = mix(window);
    signature[hash >>> 27] = hash & 0x07ffffff;
  }
  return { signature, exact: exact >>> 0 };
}

/**
 * Estimated Jaccard similarity of two fingerprints: agreeing bins among the bins not empty in both
 * (the "non-empty" estimator for one-permutation hashing; short prompts leave bins empty).
 */
export function similarity(a: PromptFingerprint, b: PromptFingerprint): number {
  let same = 0;
  let used = 0;
  for (let slot = 0; slot < MINHASH_SIZE; slot += 1) {
    const left = a.signature[slot];
    const right = b.signature[slot];
    if (left === EMPTY && right === EMPTY) continue;
    used += 1;
    if (left === right) same += 1;
  }
  return used === 0 ? 1 : same / used;
}

/**
 * Exactly `similarity(a, b) >= threshold`, stopping as soon as the remaining bins cannot change the
 * answer: with `same` agreeing of `used` bins so far and `left` bins to go, the final estimate lies
 * between same / (used + left) and (same + left) / (used + left). Correctly rounded division is
 * monotonic, so the early answers equal the full computation's. Anomaly detection compares each prompt
 * with up to `maxFingerprints` earlier ones, so this runs that many times per request.
 */
export function isNearDuplicate(a: PromptFingerprint, b: PromptFingerprint, threshold: number): boolean {
  const left = a.signature;
  const right = b.signature;
  let same = 0;
  let used = 0;
  for (let slot = 0; slot < MINHASH_SIZE; slot += 1) {
    const leftValue = left[slot];
    const rightValue = right[slot];
    if (leftValue !== EMPTY || rightValue !== EMPTY) {
      used += 1;
      if (leftValue === rightValue) same += 1;
    }
    // Checked every 8 bins: often enough to stop early, rarely enough to cost nothing.
    if ((slot & 7) === 7 && slot + 1 < MINHASH_SIZE) {
      const remaining = MINHASH_SIZE - slot - 1;
      if ((same + remaining) / (used + remaining) < threshold) return false;
      if (same / (used + remaining) >= threshold) return true;
    }
  }
  return (used === 0 ? 1 : same / used) >= threshold;
}
