import { describe, expect, it } from 'vitest';
import { identityText } from '../../spec/text.js';
import {
  createSystemPromptLeakCheck,
  rollingShingleKeys,
  shingleKey,
  tokenize,
} from './system-prompt-leak.js';

describe('rollingShingleKeys', () => {
  it('gives the key shingleKey computes for every window', () => {
    let seed = 3;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let round = 0; round < 200; round++) {
      const count = 1 + (next() % 60);
      const text = Array.from({ length: count }, () => `w${next() % 7}${'xyz'.slice(0, next() % 4)}`).join(
        ' ',
      );
      const words = tokenize(text);
      for (const size of [1, 3, 8, 12]) {
        if (size > words.starts.length) continue;
        const rolling = rollingShingleKeys(words, size);
        for (let at = 0; at + size <= words.starts.length; at++) {
          expect(rolling.next(at)).toBe(shingleKey(words, at, size));
        }
      }
    }
  });
});

describe('createSystemPromptLeakCheck', () => {
  const check = createSystemPromptLeakCheck({ shingleSize: 8, minOverlap: 0.1, minShingles: 6 });
  const prompt =
    'You are the travel assistant of a small agency. Answer in a friendly, concise tone and never invent prices.';

  it('finds a repeated run of the prompt and nothing in texts shorter than a shingle', () => {
    const leaked = check(identityText(`Sure: ${prompt.slice(0, 60)} and so on.`), prompt);
    expect(leaked).toHaveLength(1);
    expect(leaked[0]).toMatchObject({ type: 'SYSTEM_PROMPT_LEAK', start: 6 });
    expect(check(identityText('gpt-4o-mini'), prompt)).toEqual([]);
    expect(check(identityText('You are the travel assistant'), prompt)).toEqual([]);
  });

  it('finds the runs a plain scan of every window finds, on random texts over a small vocabulary', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const sentence = (count: number) => Array.from({ length: count }, () => `w${next() % 5}`).join(' ');
    let leaks = 0;
    for (let round = 0; round < 300; round++) {
      const system = sentence(4 + (next() % 40));
      const quoted = system
        .split(' ')
        .slice(next() % 20, next() % 40)
        .join(' ');
      const output = `${sentence(next() % 30)} ${quoted} ${sentence(next() % 30)}`;
      const shingles = new Set<number>();
      const promptWords = tokenize(system);
      const size = Math.min(8, promptWords.starts.length);
      for (let at = 0; at + size <= promptWords.starts.length; at++)
        shingles.add(shingleKey(promptWords, at, size));
      const words = tokenize(output);
      const leakedWords: number[] = [];
      const matched = new Set<number>();
      for (let at = 0; at + size <= words.starts.length; at++) {
        const key = shingleKey(words, at, size);
        if (!shingles.has(key)) continue;
        matched.add(key);
        for (let word = at; word < at + size; word++) if (!leakedWords.includes(word)) leakedWords.push(word);
      }
      const found = check(identityText(output), system);
      const covered = found.flatMap((match) =>
        words.starts.flatMap((start, word) => (start >= match.start && start < match.end ? [word] : [])),
      );
      if (found.length > 0) leaks++;
      if (found.length > 0) expect(covered.sort((a, b) => a - b)).toEqual(leakedWords.sort((a, b) => a - b));
      else expect(matched.size === 0 || (matched.size < 6 && matched.size / shingles.size < 0.1)).toBe(true);
    }
    expect(leaks).toBeGreaterThan(50);
  });
});
