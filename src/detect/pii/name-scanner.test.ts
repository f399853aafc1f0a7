import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachCapitalizedWord, nextNameWord } from './name-scanner.js';

/** Words a gazetteer visitor acts on: followed by `.`, `,`, `:` or by another name word. */
function acted(text: string, skipSentenceWords: boolean): [number, number][] {
  const words: [number, number][] = [];
  forEachCapitalizedWord(
    text,
    (start, end) => {
      const following = text.charCodeAt(end);
      const punctuated = following === 46 || following === 44 || following === 58;
      if (punctuated || nextNameWord(text, end) !== undefined) words.push([start, end]);
      return undefined;
    },
    { skipSentenceWords },
  );
  return words;
}

const words = fc.constantFrom(
  'Maria',
  'Garcia',
  'Would',
  'Said',
  'world',
  'and',
  'the',
  'van',
  'der',
  'de',
  'la',
  'bin',
  'al',
  'della',
  'every',
  'J.',
  "O'Brien",
  'McDonald',
  'Jean-Luc',
  'ALLCAPS',
  'camelCase',
  'Émile',
  'ßeta',
  'écrit',
  'x',
  'Dr.',
  'Regards,',
  'abcdefghijklmnopqrstuvwxy',
  'Abcdefghijklmnopqrstuvwxyz',
);
const separators = fc.constantFrom(' ', ' ', ' ', ' ', '  ', ', ', '. ', ':', '-', "'", '\n', '');
const texts = fc
  .array(fc.tuple(words, separators), { maxLength: 30 })
  .map((pairs) => pairs.map(([word, separator]) => word + separator).join(''));

describe('forEachCapitalizedWord', () => {
  it('skips only words a name visitor ignores', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(acted(text, true)).toEqual(acted(text, false));
      }),
      { numRuns: 3000 },
    );
  });
});
