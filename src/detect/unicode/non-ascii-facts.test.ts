import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANY_INVISIBLE, LOOKALIKE, nonAsciiFacts, RIGHT_TO_LEFT } from './non-ascii-facts.js';

// ASCII, invisible characters of every kind (BMP and astral), right-to-left letters, lookalikes, emoji,
// CJK, and lone or paired surrogates in both orders.
const pieces = fc.constantFrom(
  'a',
  'ignore ',
  'é',
  '\u00ad',
  '\u034f',
  '\u061c',
  '\u17b4',
  '\u180b',
  '\u180f',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2065',
  '\u2066',
  '\ufe0f',
  '\ufeff',
  '\u{E0041}',
  '\u{E0101}',
  '\u{1D173}',
  '\u{1F600}',
  'שלום',
  'مرحبا',
  '\ufb1d',
  'іgnоre',
  'Καλημέρα',
  'ᴀ',
  '忽略',
  '\ud800',
  '\udc00',
  '\udbff\udfff',
);
const texts = fc.array(pieces, { maxLength: 16 }).map((parts) => parts.join(''));

describe('nonAsciiFacts', () => {
  it('answers as the three whole-text searches (property)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(nonAsciiFacts(text)).toEqual({
          firstInvisible: text.search(ANY_INVISIBLE),
          rightToLeft: RIGHT_TO_LEFT.test(text),
          lookalike: LOOKALIKE.test(text),
        });
      }),
      { numRuns: 4000 },
    );
  });

  it('agrees with the searches on every BMP character, alone and after a high surrogate', () => {
    // Plain comparisons, one assertion at the end: 128K texts.
    const disagreements: string[] = [];
    for (let unit = 0x80; unit <= 0xffff; unit++) {
      for (const text of [String.fromCharCode(unit), `\ud83d${String.fromCharCode(unit)}`]) {
        const facts = nonAsciiFacts(text);
        if (
          facts.firstInvisible !== text.search(ANY_INVISIBLE) ||
          facts.rightToLeft !== RIGHT_TO_LEFT.test(text) ||
          facts.lookalike !== LOOKALIKE.test(text)
        ) {
          disagreements.push(text);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
