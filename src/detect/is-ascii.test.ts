import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAscii } from './is-ascii.js';

const NON_ASCII = /[^\x00-\x7f]/;

describe('isAscii', () => {
  it('agrees with a regex scan for non-ASCII units on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(isAscii(text)).toBe(!NON_ASCII.test(text));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), fc.string({ unit: 'binary' }), (ascii, other) => {
        expect(isAscii(ascii + other)).toBe(!NON_ASCII.test(ascii + other));
      }),
    );
  });

  it('treats lone surrogates, the edges of ASCII and empty text correctly', () => {
    expect(isAscii('')).toBe(true);
    expect(isAscii('\u0000plain\u007f')).toBe(true);
    expect(isAscii('caf\u00e9')).toBe(false);
    expect(isAscii('\ud800')).toBe(false);
    expect(isAscii('x\udfff')).toBe(false);
    expect(isAscii('\u{1F600}')).toBe(false);
  });
});
