import fc from 'fast-check';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import {
  contextWindow,
  hasAnyWord,
  hasAnyWordSlowly,
  NEGATIVE_CONTEXT_WORDS,
  wordListPattern,
} from './context-words.js';

// Word shapes the recognizers use: spaces, punctuation, a digit, accents, another script.
const WORDS: readonly string[] = [
  'tel',
  'telephone',
  'téléphone',
  'ss#',
  'ss #',
  'live at',
  'c.f.',
  'dob:',
  "driver's license",
  'driver’s license',
  'v',
  'ipv4',
  'आधार',
  'tin',
];

// Pieces of the words in both cases, word and non-word neighbours, and non-ASCII characters
// (including ones whose lowercase form is longer, such as İ).
const piece = fc.constantFrom(
  'tel',
  'TEL',
  'Tel',
  'ephone',
  'téléphone',
  'TÉLÉPHONE',
  'ss',
  'SS',
  '#',
  ' ',
  'live',
  'LIVE',
  'at',
  'c.f.',
  'C.F.',
  'dob',
  ':',
  "driver's",
  'driver’s',
  'license',
  'v',
  'V',
  'ipv4',
  'आधार',
  'tin',
  'TIN',
  'meeting',
  'example',
  'EXAMPLE',
  'Test',
  'x',
  '1',
  '_',
  '-',
  'é',
  'İ',
  '😀',
  '\n',
);
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
const spanIn = (value: string) =>
  fc
    .tuple(fc.nat({ max: value.length }), fc.nat({ max: value.length }))
    .map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));

describe('hasAnyWord', () => {
  it('answers as one substring search per word does', () => {
    fc.assert(
      fc.property(
        text.chain((value) =>
          fc.tuple(
            fc.constant(value),
            spanIn(value),
            fc.option(fc.nat({ max: 60 }), { nil: undefined }),
            fc.option(fc.nat({ max: 30 }), { nil: undefined }),
          ),
        ),
        ([value, span, before, after]) => {
          const window = contextWindow({ text: value, ...span, before, after });
          for (const words of [WORDS, NEGATIVE_CONTEXT_WORDS]) {
            expect(hasAnyWord(window, words)).toBe(hasAnyWordSlowly(window, words));
            expect(hasAnyWord(value, words)).toBe(hasAnyWordSlowly(value, words));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds whole words only, at the edges and after punctuation', () => {
    expect(hasAnyWord('live at', ['live at'])).toBe(true);
    expect(hasAnyWord('tel:5551234', ['tel'])).toBe(true);
    expect(hasAnyWord('hotel 5551234', ['tel'])).toBe(false);
    expect(hasAnyWord('my ss# is', ['ss#'])).toBe(true);
    expect(hasAnyWord('telé', ['tel'])).toBe(false);
    expect(hasAnyWord('é tel', ['tel'])).toBe(true);
    expect(hasAnyWord('x आधार', ['आधार'])).toBe(true);
    expect(hasAnyWord('cxfx', ['c.f.'])).toBe(false);
    expect(hasAnyWord('(c.f.)', ['c.f.'])).toBe(true);
  });

  it('compiles a list into literal alternatives that cannot backtrack', () => {
    for (const words of [WORDS, NEGATIVE_CONTEXT_WORDS]) {
      const source = wordListPattern(words)!.source;
      const prefix = '(?<![A-Za-z0-9])';
      const suffix = '(?![A-Za-z0-9])';
      expect(source.startsWith(prefix) && source.endsWith(suffix)).toBe(true);
      const alternatives = source.slice(prefix.length, -suffix.length);
      expect(checkSync(alternatives, '', { timeout: null }).status).toBe('safe');
      // Every word is matched literally: the alternatives hold no unescaped quantifier.
      expect(/(?:^|[^\\])[*+?{]/.test(alternatives.slice(3))).toBe(false);
    }
    expect(wordListPattern(['', 'tel'])).toBeUndefined();
  });
});
