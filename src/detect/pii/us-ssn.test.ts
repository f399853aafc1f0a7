import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScanInput, matchesInWindows, stickyMatchesInWindows } from './scan-input.js';
import { ssnStarts, usSsnRecognizer } from './us-ssn.js';

describe('SSN starts', () => {
  const [grouped, bare, groupedAt, bareAt] = usSsnRecognizer.patterns as [RegExp, RegExp, RegExp, RegExp];
  // Digit groups of every length near the SSN forms, the separators, hyphens and dots around them.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', ' ', '-', '.', 'a', 'ssn ', '_', '1'),
        fc.stringMatching(/^[0-9]{1,10}$/),
        fc.constantFrom('', ' ', '-', '.', '.5', '-12-3456', ' 12 3456', '-45-6789', 'x'),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));

  it('find what a scan of each long-number window finds', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        const starts = ssnStarts(input);
        for (const windows of [input.longNumberWindows, input.longNumberWindowsWith(9)]) {
          expect(
            stickyMatchesInWindows({
              text,
              windows,
              pattern: groupedAt,
              starts: starts.grouped,
              windowStarts: true,
            }),
          ).toEqual(matchesInWindows({ text, windows, pattern: grouped }));
          expect(
            stickyMatchesInWindows({
              text,
              windows,
              pattern: bareAt,
              starts: starts.bare,
              windowStarts: true,
            }),
          ).toEqual(matchesInWindows({ text, windows, pattern: bare }));
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('tries the first character of a window that begins inside a digit run', () => {
    // A window that begins inside the run 12345 (widening stops 32 word characters out) shows a run
    // start there: its text reads "345-67-8901".
    const text = `12345-67-8901${'b'.repeat(60)} 123456`;
    const input = createScanInput(text, 'US');
    for (const windows of [[{ start: 2, end: 20 }]]) {
      expect(
        stickyMatchesInWindows({
          text,
          windows,
          pattern: groupedAt,
          starts: ssnStarts(input).grouped,
          windowStarts: true,
        }),
      ).toEqual(matchesInWindows({ text, windows, pattern: grouped }));
    }
    expect(matchesInWindows({ text, windows: [{ start: 2, end: 20 }], pattern: grouped })).toHaveLength(1);
  });

  it('finds grouped and bare numbers in context', () => {
    const found = usSsnRecognizer.find(createScanInput('ssn 521-44-9382 or ssn 521449382', 'US'));
    expect(found.map((candidate) => candidate.start)).toEqual([4, 23]);
  });
});
