import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { includesLiteral, literalPositions } from '../find-literal.js';
import { execAll } from './exec-all.js';
import { createScanInput, LONG_NUMBER_RUN, longNumberRuns } from './scan-input.js';

/** The spans the regular expression finds: the specification `longNumberRuns` must reproduce. */
function oracle(text: string): { start: number; end: number }[] {
  return execAll(LONG_NUMBER_RUN, text).map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
}

// Digits, the four separators, and a few other characters, so chains form, break and run long.
const numberish = fc
  .array(fc.constantFrom('0', '1', '7', '9', ' ', '.', '/', '-', 'a', ',', '\n', '5'), { maxLength: 400 })
  .map((characters) => characters.join(''));

describe('longNumberRuns', () => {
  it('finds exactly the matches of LONG_NUMBER_RUN', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        const input = createScanInput(text, 'US');
        expect(longNumberRuns(text, input.digitRuns)).toEqual(oracle(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('splits chains longer than 65 digits as the pattern does', () => {
    for (const text of [
      '1'.repeat(200),
      '12-'.repeat(80),
      `${'9'.repeat(65)} 12345`,
      `${'9'.repeat(65)} 123456`,
      `${'9'.repeat(70)}`,
      '1 2 3 4 5 6',
      '1 2 3 4 5',
      '1  2 3 4 5 6 7',
    ]) {
      const input = createScanInput(text, 'US');
      expect(longNumberRuns(text, input.digitRuns)).toEqual(oracle(text));
      expect(input.hasLongNumber).toBe(oracle(text).length > 0);
    }
  });
});

describe('includesLiteral and literalPositions', () => {
  const texts = fc
    .array(
      fc.constantFrom(
        'bc1',
        'BC1',
        'b',
        'c',
        'C',
        'B',
        '1',
        'regards',
        ',',
        's',
        's,',
        'i',
        'icen',
        'cen',
        'en',
        'assport',
        'port',
        'x',
      ),
      {
        maxLength: 40,
      },
    )
    .map((parts) => parts.join(''));

  it('agree with plain substring search', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(includesLiteral(text, 'bc1', '1')).toBe(text.includes('bc1'));
        expect(includesLiteral(text, 'icen', 'cen')).toBe(text.includes('icen'));
        expect(includesLiteral(text, 'assport', 'port')).toBe(text.includes('assport'));
        const expected: number[] = [];
        for (let at = text.indexOf('regards,'); at >= 0; at = text.indexOf('regards,', at + 1))
          expected.push(at);
        expect(literalPositions(text, 'regards,', ',')).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('digitRuns', () => {
  // Digits in runs and gaps of every length around the hand-searched lookahead, other scripts included.
  const texts = fc
    .array(
      fc.tuple(
        fc.stringMatching(/^[0-9]{0,4}$/),
        fc.constantFrom('', 'a', ' ', 'ab', 'abcde', 'abcdef', 'abcdefg', 'x'.repeat(20), '١', '😀', '-'),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.map(([digits, gap]) => digits + gap).join(''));

  it('are exactly the matches of /[0-9]+/g', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const expected = execAll(/[0-9]+/g, text).map((match) => ({
          start: match.index,
          end: match.index + match[0].length,
        }));
        expect(createScanInput(text, 'US').digitRuns).toEqual(expected);
        // hasDigit answers the same whether it is asked before or after the runs are found.
        const before = createScanInput(text, 'US');
        expect(before.hasDigit).toBe(/[0-9]/.test(text));
        const after = createScanInput(text, 'US');
        void after.digitRuns;
        expect(after.hasDigit).toBe(/[0-9]/.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});
