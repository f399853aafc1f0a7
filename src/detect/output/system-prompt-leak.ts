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

interface Words {
  starts: number[];
  ends: number[];
  /** Two independent 32-bit hashes per word (FNV-1a with different bases), ASCII case folded. */
  first: number[];
  second: number[];
}

function tokenize(text: string): Words {
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
function shingleKey(words: Words, at: number, size: number): number {
  let first = 0;
  let second = 0;
  for (let offset = 0; offset < size; offset++) {
    first = (Math.imul(first, 31) + (words.first[at + offset] ?? 0)) | 0;
    second = (Math.imul(second, 37) + (words.second[at + offset] ?? 0)) | 0;
  }
  return (first >>> 0) * 0x200000 + ((second >>> 0) & 0x1fffff);
}

interface PromptShingles {
  shingles: Set<number>;
  size: number;
}

function shinglesOf(prompt: string, size: number): PromptShingles | undefined {
  const words = tokenize(prompt);
  const count = words.starts.length;
  if (count < 4) return undefined;
  const effective = Math.min(size, count);
  const shingles = new Set<number>();
  for (let index = 0; index + effective <= count; index++) shingles.add(shingleKey(words, index, effective));
  return { shingles, size: effective };
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
    if (cache.has(prompt)) return cache.get(prompt);
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
    const leaked = new Uint8Array(count);
    const matched = new Set<number>();
    for (let index = 0; index + prompt.size <= count; index++) {
      const key = shingleKey(words, index, prompt.size);
      if (!prompt.shingles.has(key)) continue;
      matched.add(key);
      leaked.fill(1, index, index + prompt.size);
    }
    const overlap = matched.size / prompt.shingles.size;
    if (matched.size === 0 || (overlap < options.minOverlap && matched.size < options.minShingles)) return [];
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
