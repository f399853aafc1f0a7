import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phoneRecognizer, regionStarts } from './phone.js';
import { createScanInput, stickyMatchesAt } from './scan-input.js';

const [, , , DECIMAL, YEAR_RANGE] = phoneRecognizer.patterns as [RegExp, RegExp, RegExp, RegExp, RegExp];

// Regions as the phone pattern cuts them: digits and the separators it allows, plus decimals and
// year ranges written in every spacing the two shape patterns accept.
const regions = fc
  .array(
    fc.constantFrom(
      '1',
      '19',
      '20',
      '2024',
      '1999',
      '7',
      '0',
      ' ',
      '.',
      ',',
      '-',
      '/',
      '(',
      ')',
      '+',
      '\u00a0',
    ),
    { minLength: 1, maxLength: 24 },
  )
  .map((parts) => parts.join(''));

describe('phone shape shortcut', () => {
  it('decimals and year ranges always hold exactly two digit groups', () => {
    fc.assert(
      fc.property(regions, (region) => {
        if (DECIMAL!.test(region) || YEAR_RANGE!.test(region.trim())) {
          expect(region.match(/[0-9]+/g)?.length).toBe(2);
        }
      }),
      { numRuns: 5000 },
    );
    // The implication is not vacuous: these regions are decimals or year ranges.
    expect(['3.14159', '12,5'].every((region) => DECIMAL!.test(region))).toBe(true);
    expect(
      ['1999-2024', '2001 / 2002', ' 1999 - 2000 '].every((region) => YEAR_RANGE!.test(region.trim())),
    ).toBe(true);
  });
});

describe('phone region starts', () => {
  // Digit runs of every length with the separators REGION allows, letters and quotes between them.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', ' ', '+', '(', 'a', 'x'),
        fc.stringMatching(/^[0-9]{1,9}$/),
        fc.constantFrom('', ' ', '-', '.', '/', ')', '\u00a0', 'e', "'", ' - ', ') ', '-e'),
      ),
      { maxLength: 10 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));
  const [REGION] = phoneRecognizer.patterns as [RegExp];

  it('leave out only starts where the region pattern cannot match', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        // Every digit-run start, moved onto a + or ( right before it.
        const every = input.digitRuns.map((run) =>
          text[run.start - 1] === '+' || text[run.start - 1] === '(' ? run.start - 1 : run.start,
        );
        expect(stickyMatchesAt({ text, pattern: REGION, starts: regionStarts(input) })).toEqual(
          stickyMatchesAt({ text, pattern: REGION, starts: every }),
        );
      }),
      { numRuns: 4000 },
    );
  });
});
