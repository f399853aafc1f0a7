import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateLikeRuns } from './date-of-birth.js';
import { createScanInput } from './scan-input.js';

describe('date-like runs', () => {
  // Years and other four-digit runs, digit groups of every length, date separators and other characters.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', '1990', '2024', '2100', '1899', '12', '3', '12345'),
        fc.constantFrom('', '.', '/', '-', ' ', '-x', '.5', '/07', 'a', ' born '),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));

  it('are the runs holding a year 19xx or 20xx or followed by a date separator and a digit, in order', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        const expected = input.digitRuns.filter(
          (run) =>
            (run.end - run.start === 4 && /^(?:19|20)/.test(text.slice(run.start))) ||
            /^[./-]\d/.test(text.slice(run.end)),
        );
        expect(dateLikeRuns(input)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
