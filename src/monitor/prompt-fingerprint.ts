/** Number of MinHash functions; 32 gives a Jaccard estimate within about ±0.09 (one standard deviation). */
export const MINHASH_SIZE = 32;
const SHINGLE = 4;
/** Only the start of a prompt is fingerprinted, so the cost per request is bounded (~20 µs). */
const MAX_CHARS = 600;

// Fixed seeds: deterministic fingerprints across runs and processes.
const SEEDS = Uint32Array.from(
  { length: MINHASH_SIZE },
  (_, index) => Math.imul(0x9e3779b9, index + 1) >>> 0,
);

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit (a good per-seed permutation). */
function mix(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** FNV-1a, 32 bit, over UTF-16 code units. */
export function fnv1a(text: string, start = 0, end = text.length): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A prompt's fingerprint: MinHash signature of its character 4-grams and a hash of the whole text. */
export interface PromptFingerprint {
  signature: Uint32Array;
  exact: number;
}

/**
 * MinHash (Broder 1997) over character shingles of the normalised prompt: two prompts that share most
 * 4-grams (a template with one slot changed) get signatures that agree in most positions, while the
 * text itself is never kept.
 */
export function fingerprintPrompt(prompt: string): PromptFingerprint {
  const text = prompt
    .slice(0, MAX_CHARS * 2)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_CHARS);
  const signature = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  const last = Math.max(1, text.length - SHINGLE + 1);
  for (let start = 0; start < last; start += 1) {
    const shingle = fnv1a(text, start, Math.min(text.length, start + SHINGLE));
    for (let slot = 0; slot < MINHASH_SIZE; slot += 1) {
      const value = mix(shingle ^ (SEEDS[slot] ?? 0));
      if (value < (signature[slot] ?? 0)) signature[slot] = value;
    }
  }
  return { signature, exact: fnv1a(text) };
}

/** Estimated Jaccard similarity of two fingerprints (share of agreeing MinHash slots). */
export function similarity(a: PromptFingerprint, b: PromptFingerprint): number {
  let same = 0;
  for (let slot = 0; slot < MINHASH_SIZE; slot += 1) if (a.signature[slot] === b.signature[slot]) same += 1;
  return same / MINHASH_SIZE;
}
