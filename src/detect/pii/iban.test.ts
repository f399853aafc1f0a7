import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibanRecognizer, ibanStarts } from './iban.js';
import { createScanInput, matchesInWindows, stickyMatchesInWindows } from './scan-input.js';

// Capitals, digit groups and single spaces in IBAN layouts, real IBANs, and word characters around them.
const texts = fc
  .array(
    fc.tuple(
      fc.constantFrom('', ' ', 'a', '_', '-', '\n', 'iban ', 'é', 'x'.repeat(40)),
      fc.stringMatching(/^[A-Z]{0,3}$/),
      fc.stringMatching(/^[0-9]{0,12}$/),
      fc.constantFrom('', ' ', 'A', 'B1', ' 0', 'DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32'),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.map((part) => part.join('')).join(''));

describe('IBAN starts', () => {
  const global = ibanRecognizer.patterns[0]!;
  const sticky = ibanRecognizer.patterns[1]!;

  it('find what a scan of each long-number window finds', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        const windows = input.longNumberWindows;
        expect(stickyMatchesInWindows({ text, windows, pattern: sticky, starts: ibanStarts(input) })).toEqual(
          matchesInWindows({ text, windows, pattern: global }),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('finds grouped and compact IBANs', () => {
    const found = ibanRecognizer.find(
      createScanInput('iban DE89370400440532013000 or GB82 WEST 1234 5698 7654 32.', 'US'),
    );
    expect(found.map((candidate) => candidate.start)).toEqual([5, 31]);
  });
});
