import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { includesLiteral, literalPositions } from '../find-literal.js';
import type { ScanInput } from './candidate.js';
import { creditCardRecognizer } from './credit-card.js';
import { execAll } from './exec-all.js';
import { germanTaxIdRecognizer, spanishDniRecognizer, spanishNieRecognizer } from './national-ids-europe.js';
import { aadhaarRecognizer, usPassportRecognizer } from './national-ids-other.js';
import { createScanInput, LONG_NUMBER_RUN, longNumberRuns } from './scan-input.js';
import { usSsnRecognizer } from './us-ssn.js';

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
        const matches = oracle(text);
        expect(longNumberRuns(text, input.digitRuns)).toEqual(matches);
        // The windows, built from the chains found with the runs, hold every match and nothing else.
        const windows = input.longNumberWindows;
        expect(input.hasLongNumber).toBe(matches.length > 0);
        for (const match of matches) {
          expect(windows.some((window) => window.start <= match.start && match.end <= window.end)).toBe(true);
        }
        for (const window of windows) {
          expect(matches.some((match) => window.start <= match.start && match.end <= window.end)).toBe(true);
        }
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

describe('digit runs sorted for anchor searches', () => {
  // Runs of every length up to past the bucketed ones, after capitals, letters, hyphens and others.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', ' ', '-', '_', 'a', 'A', 'Z', 'x', '.', 'é', '\n', '(', ')', '/', '\u00a0'),
        fc.stringMatching(/^[0-9]{1,24}$/),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));

  it('lists exactly the runs each filter describes, in text order', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        const runs = input.digitRuns;
        for (let digits = 1; digits <= 26; digits += 1) {
          expect(input.runsOfLength(digits)).toEqual(runs.filter((run) => run.end - run.start === digits));
        }
        const codeBefore = (run: { start: number }) => text.charCodeAt(run.start - 1);
        expect(input.runsAfterCapital).toEqual(runs.filter((run) => /[A-Z]/.test(text[run.start - 1] ?? '')));
        expect(input.runsAfterBoundary).toEqual(
          runs.filter((run) => run.start === 0 || !/[\w-]/.test(String.fromCharCode(codeBefore(run)))),
        );
        expect(input.runsAfterNonWord).toEqual(
          runs.filter((run) => run.start === 0 || !/\w/.test(String.fromCharCode(codeBefore(run)))),
        );
        expect(input.runsBeforeSeparator).toEqual(
          runs.filter((run) => /^[ ().\-/\u00a0]/.test(text.slice(run.end, run.end + 1))),
        );
        for (const digits of [1, 6, 7, 21]) {
          expect(input.runsOfAtLeast(digits)).toEqual(runs.filter((run) => run.end - run.start >= digits));
        }
      }),
      { numRuns: 2000 },
    );
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

describe('longNumberWindowsWith', () => {
  // Digit groups of every length joined by each separator, letters the identifiers use, context words.
  const texts = fc
    .array(
      fc.tuple(
        fc.stringMatching(/^[0-9]{1,13}$/),
        fc.constantFrom(
          ' ',
          '-',
          '.',
          '/',
          '',
          '  ',
          'A',
          'X',
          'Z-',
          'x',
          ',',
          ' ssn ',
          ' passport ',
          ' aadhaar ',
        ),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.map(([digits, gap]) => digits + gap).join(''));

  /** The same facts, but every window offered whatever the chain length: the path being shortened. */
  function everyWindow(text: string): ScanInput {
    const input = createScanInput(text, 'US');
    return {
      text,
      defaultRegion: input.defaultRegion,
      hasDigit: input.hasDigit,
      hasLongNumber: input.hasLongNumber,
      digitRuns: input.digitRuns,
      runsOfLength: (digits) => input.runsOfLength(digits),
      runsAfterCapital: input.runsAfterCapital,
      runsAfterBoundary: input.runsAfterBoundary,
      runsAfterNonWord: input.runsAfterNonWord,
      runsBeforeSeparator: input.runsBeforeSeparator,
      runsOfAtLeast: (digits) => input.runsOfAtLeast(digits),
      longNumberWindows: input.longNumberWindows,
      longNumberWindowsWith: () => input.longNumberWindows,
    };
  }

  it('leaves every recognizer that uses it finding the same values', () => {
    const recognizers = [
      creditCardRecognizer,
      usSsnRecognizer,
      aadhaarRecognizer,
      usPassportRecognizer,
      germanTaxIdRecognizer,
      spanishDniRecognizer,
      spanishNieRecognizer,
    ];
    fc.assert(
      fc.property(texts, (text) => {
        const fast = createScanInput(text, 'US');
        const slow = everyWindow(text);
        for (const recognizer of recognizers) expect(recognizer.find(fast)).toEqual(recognizer.find(slow));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves values at the shortest lengths found', () => {
    const recognizers = [
      creditCardRecognizer,
      usSsnRecognizer,
      aadhaarRecognizer,
      usPassportRecognizer,
      germanTaxIdRecognizer,
      spanishDniRecognizer,
      spanishNieRecognizer,
    ];
    for (const text of [
      'card 4222222222222.',
      'card 4111 1111 1111 1111',
      'ssn 521-44-9382 or 521449382',
      'passport 123456789 or A12345678',
      'dni 12345678Z, nie X1234567L',
    ]) {
      const fast = createScanInput(text, 'US');
      const slow = everyWindow(text);
      expect(recognizers.flatMap((recognizer) => recognizer.find(fast)).length).toBeGreaterThan(0);
      for (const recognizer of recognizers) expect(recognizer.find(fast)).toEqual(recognizer.find(slow));
    }
  });

  it('keeps the windows that meet a long enough chain, in order', () => {
    const input = createScanInput('id 12345678 and 4111 1111 1111 1111 and 123-456', 'US');
    expect(input.longNumberWindowsWith(6)).toBe(input.longNumberWindows);
    expect(input.longNumberWindowsWith(16).length).toBeGreaterThan(0);
    expect(input.longNumberWindowsWith(17)).toEqual([]);
    for (const window of input.longNumberWindowsWith(12)) expect(input.longNumberWindows).toContain(window);
  });
});
