import type { NormalizedText } from '../../spec/text.js';
import { type OutputMatch, severityForScore } from './output-match.js';

const WORD = /[\p{L}\p{N}]+/gu;

interface PromptShingles {
  shingles: Set<string>;
  size: number;
}

/** Word n-grams of a text, lower-cased, joined by a space: the set a leak is measured against. */
function shinglesOf(prompt: string, size: number): PromptShingles | undefined {
  const words = prompt.toLowerCase().match(WORD) ?? [];
  if (words.length < 4) return undefined;
  const effective = Math.min(size, words.length);
  const shingles = new Set<string>();
  for (let index = 0; index + effective <= words.length; index++) {
    shingles.add(words.slice(index, index + effective).join(' '));
  }
  return { shingles, size: effective };
}

/**
 * Detects a system prompt repeated in output by word n-gram overlap (Broder's shingling): the score is
 * the share of the prompt's shingles that appear in the output, and each finding spans one run of leaked
 * words. Shingle sets are cached per prompt, so long prompts cost one pass per conversation.
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
    const words: { word: string; start: number; end: number }[] = [];
    for (const match of normalized.text.matchAll(WORD)) {
      words.push({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
    }
    const leaked = new Uint8Array(words.length);
    const matched = new Set<string>();
    for (let index = 0; index + prompt.size <= words.length; index++) {
      let shingle = words[index]!.word;
      for (let offset = 1; offset < prompt.size; offset++) shingle += ` ${words[index + offset]!.word}`;
      if (!prompt.shingles.has(shingle)) continue;
      matched.add(shingle);
      leaked.fill(1, index, index + prompt.size);
    }
    const overlap = matched.size / prompt.shingles.size;
    if (matched.size === 0 || (overlap < options.minOverlap && matched.size < options.minShingles)) return [];
    const found: OutputMatch[] = [];
    for (let index = 0; index < words.length; index++) {
      if (!leaked[index]) continue;
      let last = index;
      while (last + 1 < words.length && leaked[last + 1]) last++;
      const start = normalized.toOriginal(words[index]!.start);
      const end = normalized.toOriginal(words[last]!.end);
      const score = Math.round(overlap * 1000) / 1000;
      found.push({
        ruleId: 'output.system-prompt-overlap',
        type: 'SYSTEM_PROMPT_LEAK',
        category: 'system-prompt-leak',
        score,
        severity:
          overlap >= 0.5 ? 'critical' : overlap >= 0.2 ? 'high' : severityForScore(Math.max(overlap, 0.5)),
        start,
        end,
        evidence: `${last - index + 1} words; ${Math.round(overlap * 100)}% of the system prompt`,
      });
      index = last;
    }
    return found;
  };
}
