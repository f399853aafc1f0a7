import type { NormalizedText } from '../../spec/text.js';
import { type OutputMatch, severityForScore } from './output-match.js';

/** Word characters: ASCII letters and digits, and non-ASCII letters (general punctuation excluded). */
function isWordCode(code: number): boolean {
  if (code < 128)
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  if (code < 0xc0 || code === 0xd7 || code === 0xf7) return false;
  if (code >= 0x2000 && code <= 0x2bff) return false; // punctuation, symbols, arrows, box drawing
  if (code >= 0x3000 && code <= 0x303f) return false; // CJK punctuation
  if (code >= 0xff00 && code <= 0xff0f) return false; // full-width punctuation
  return true;
}

export interface Words {
  starts: number[];
  ends: number[];
  /** Two independent 32-bit hashes per word (FNV-1a with different bases), ASCII case folded. */
  first: number[];
  second: number[];
}

export function tokenize(text: string): Words {
  const words: Words = { starts: [], ends: [], first: [], second: [] };
  let index = 0;
  while (index < text.length) {
    while (index < text.length && !isWordCode(text.charCodeAt(index))) index++;
    if (index >= text.length) break;
    const start = index;
    let first = 0x811c9dc5;
    let second = 0x01000193;
    while (index < text.length) {
      let code = text.charCodeAt(index);
      if (!isWordCode(code)) break;
      if (code >= 65 && code <= 90) code += 32;
      first = Math.imul(first ^ code, 0x01000193);
      second = Math.imul(second ^ code, 0x5bd1e995);
      index++;
    }
    words.starts.push(start);
    words.ends.push(index);
    words.first.push(first >>> 0);
    words.second.push(second >>> 0);
  }
  return words;
}

/** A 53-bit key for the `size` words starting at `at`: exact in a double, collisions negligible. */
export function shingleKey(words: Words, at: number, size: number): number {
  let first = 0;
  let second = 0;
  for (let offset = 0; offset < size; offset++) {
    first = (Math.imul(first, 31) + (words.first[at + offset] ?? 0)) | 0;
    second = (Math.imul(second, 37) + (words.second[at + offset] ?? 0)) | 0;
  }
  return (first >>> 0) * 0x200000 + ((second >>> 0) & 0x1fffff);
}

/**
 * `shingleKey(words, at, size)` for `at` = 0, 1, 2, … in turn, each from the last in constant time. Both
 * halves are polynomial hashes modulo 2^32 (`Math.imul` and `| 0` wrap exactly), so dropping the oldest
 * word's term and appending the new word gives the same 32-bit values as hashing the window anew.
 * With `filter` (see `firstHashFilter`), a window whose first half is not in it gives -1 (no key is
 * negative) instead of its key.
 */
export function rollingShingleKeys(
  words: Words,
  size: number,
  filter?: Uint8Array,
): { next(at: number): number } {
  // 31^(size-1) and 37^(size-1) modulo 2^32: the factor of the word that leaves the window.
  let firstPower = 1;
  let secondPower = 1;
  for (let step = 1; step < size; step++) {
    firstPower = Math.imul(firstPower, 31);
    secondPower = Math.imul(secondPower, 37);
  }
  const firsts = words.first;
  const seconds = words.second;
  let first = 0;
  let second = 0;
  for (let offset = 0; offset < size - 1; offset++) {
    first = (Math.imul(first, 31) + firsts[offset]!) | 0;
    second = (Math.imul(second, 37) + seconds[offset]!) | 0;
  }
  return {
    next(at: number): number {
      // The window [at, at + size): remove word at - 1 (absent for the first), add word at + size - 1.
      if (at > 0) {
        first = (first - Math.imul(firsts[at - 1]!, firstPower)) | 0;
        second = (second - Math.imul(seconds[at - 1]!, secondPower)) | 0;
      }
      first = (Math.imul(first, 31) + firsts[at + size - 1]!) | 0;
      second = (Math.imul(second, 37) + seconds[at + size - 1]!) | 0;
      if (filter !== undefined && (filter[(first >>> 3) & FILTER_MASK]! & (1 << (first & 7))) === 0)
        return -1;
      return (first >>> 0) * 0x200000 + ((second >>> 0) & 0x1fffff);
    },
  };
}

/** Bytes of the filter of a prompt's shingles: one bit per value of the low 15 bits of the first hash. */
const FILTER_BYTES = 4096;
const FILTER_MASK = FILTER_BYTES - 1;

interface PromptShingles {
  shingles: Set<number>;
  size: number;
  /**
   * A bit per low 15 bits of each shingle's first hash (the high 32 bits of its key, `first >>> 0`):
   * most windows of an output are not in the prompt and are rejected here without building their key
   * (a double beyond 2^31) and looking it up in the set.
   */
  filter: Uint8Array;
}

function shinglesOf(prompt: string, size: number): PromptShingles | undefined {
  const words = tokenize(prompt);
  const count = words.starts.length;
  if (count < 4) return undefined;
  const effective = Math.min(size, count);
  const shingles = new Set<number>();
  const filter = new Uint8Array(FILTER_BYTES);
  for (let index = 0; index + effective <= count; index++) {
    const key = shingleKey(words, index, effective);
    shingles.add(key);
    // The key's high part is `first >>> 0`, whose low 15 bits the rolling keys test.
    const first = Math.floor(key / 0x200000);
    filter[(first >>> 3) & FILTER_MASK]! |= 1 << (first & 7);
  }
  return { shingles, size: effective, filter };
}

/**
 * Detects a system prompt repeated in output by word n-gram overlap (Broder's shingling): the score is
 * the share of the prompt's distinct shingles found in the output, and each finding spans one run of
 * leaked words. Shingles are hashed into a Set and cached per prompt, so a long prompt costs one pass per
 * conversation and each output one pass.
 */
export function createSystemPromptLeakCheck(options: {
  shingleSize: number;
  minOverlap: number;
  minShingles: number;
}) {
  const cache = new Map<string, PromptShingles | undefined>();
  function promptShingles(prompt: string): PromptShingles | undefined {
    const cached = cache.get(prompt);
    if (cached !== undefined || cache.has(prompt)) return cached;
    const built = shinglesOf(prompt, options.shingleSize);
    if (cache.size >= 16) cache.delete(cache.keys().next().value as string);
    cache.set(prompt, built);
    return built;
  }

  return function findSystemPromptLeaks(normalized: NormalizedText, systemPrompt: string): OutputMatch[] {
    const prompt = promptShingles(systemPrompt);
    if (!prompt) return [];
    const words = tokenize(normalized.text);
    const count = words.starts.length;
    // Fewer words than a shingle: nothing can match (most short texts, such as ids and model names).
    if (count < prompt.size) return [];
    const { size } = prompt;
    let leaked: Uint8Array | undefined;
    let matched: Set<number> | undefined;
    const rolling = rollingShingleKeys(words, size, prompt.filter);
    for (let index = 0; index + size <= count; index++) {
      const key = rolling.next(index);
      if (key < 0 || !prompt.shingles.has(key)) continue;
      matched ??= new Set<number>();
      leaked ??= new Uint8Array(count);
      matched.add(key);
      leaked.fill(1, index, index + size);
    }
    if (matched === undefined || leaked === undefined) return [];
    const overlap = matched.size / prompt.shingles.size;
    if (overlap < options.minOverlap && matched.size < options.minShingles) return [];
    const score = Math.round(overlap * 1000) / 1000;
    const severity =
      overlap >= 0.5 ? 'critical' : overlap >= 0.2 ? 'high' : severityForScore(Math.max(overlap, 0.5));
    const found: OutputMatch[] = [];
    for (let index = 0; index < count; index++) {
      if (!leaked[index]) continue;
      let last = index;
      while (last + 1 < count && leaked[last + 1]) last++;
      found.push({
        ruleId: 'output.system-prompt-overlap',
        type: 'SYSTEM_PROMPT_LEAK',
        category: 'system-prompt-leak',
        score,
        severity,
        start: normalized.toOriginal(words.starts[index] ?? 0),
        end: normalized.toOriginal(words.ends[last] ?? 0),
        evidence: `${last - index + 1} words; ${Math.round(overlap * 100)}% of the system prompt`,
      });
      index = last;
    }
    return found;
  };
}
