import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capitalizedWordEnd, forEachCapitalizedWord, nextNameWord } from './name-scanner.js';

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
  'dell',
  'dela',
  'den',
  'von',
  'vanilla',
  'ibn',
  'el',
  'elk',
  'du',
  'di',
  'da',
  'del',
  'le',
  'bi',
  'every',
  'is',
  'a',
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

// Characters around the word-boundary lookbehind of the capital jump: the ones it refuses (letters,
// apostrophes, hyphen) and ones it lets through (×, ÷, digits, underscore, other scripts).
const boundaries = fc.constantFrom(
  '',
  ' ',
  'x',
  'é',
  'ÿ',
  'Þ',
  'A',
  '×',
  '÷',
  "'",
  '’',
  '-',
  '_',
  '1',
  'Ω',
  '😀',
);
const boundaryTexts = fc
  .array(fc.tuple(boundaries, words, separators), { maxLength: 20 })
  .map((parts) => parts.map(([before, word, separator]) => before + word + separator).join(''));

function isUpperCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xde && code !== 0xd7);
}

function isWordInnerCode(code: number): boolean {
  const lower = (code >= 97 && code <= 122) || (code >= 0xdf && code <= 0xff && code !== 0xf7);
  return isUpperCode(code) || lower || code === 39 || code === 0x2019 || code === 45;
}

/** The slow path the capital jump replaces: every character, in a plain loop. */
function naiveVisits(text: string, resumeAfter: (start: number, end: number) => number | undefined) {
  const visits: [number, number][] = [];
  for (let index = 0; index < text.length; index++) {
    if (!isUpperCode(text.charCodeAt(index))) continue;
    if (index > 0 && isWordInnerCode(text.charCodeAt(index - 1))) continue;
    const end = capitalizedWordEnd(text, index);
    if (end < 0) continue;
    visits.push([index, end]);
    const resume = resumeAfter(index, end);
    index = (resume !== undefined && resume > end ? resume : end) - 1;
  }
  return visits;
}

describe('forEachCapitalizedWord capital jump', () => {
  it('visits exactly the capitalized words a character loop finds, resumes included', () => {
    fc.assert(
      fc.property(boundaryTexts, (text) => {
        // Resume a few characters after words starting with M, as a multi-word name would.
        const resumeAfter = (start: number, end: number) =>
          text[start] === 'M' ? Math.min(text.length, end + 4) : undefined;
        const visits: [number, number][] = [];
        forEachCapitalizedWord(text, (start, end) => {
          visits.push([start, end]);
          return resumeAfter(start, end);
        });
        expect(visits).toEqual(naiveVisits(text, resumeAfter));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('forEachCapitalizedWord sentence-word skip at word boundaries', () => {
  it('skips only words a name visitor ignores', () => {
    fc.assert(
      fc.property(boundaryTexts, (text) => {
        expect(acted(text, true)).toEqual(acted(text, false));
      }),
      { numRuns: 2000 },
    );
  });
});
