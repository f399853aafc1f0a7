import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passportStarts, usPassportRecognizer } from './national-ids-other.js';
import { createScanInput } from './scan-input.js';
import { expectStartsFindWhatWindowsFind } from './test-support/window-starts.js';

describe('passport starts', () => {
  // Digit groups of every length, capitals, separators and word characters around them.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', ' ', '-', '_', 'a', 'A', 'AB', '.', 'passport '),
        fc.stringMatching(/^[0-9]{1,13}$/),
        fc.constantFrom('', ' ', '-', '.', '.5', 'x', ' 1234', '-5678 9012', ' 2345 6789'),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));

  for (const [recognizer, starts] of [[usPassportRecognizer, passportStarts]] as const) {
    it(`${recognizer.name}: find what a scan of each long-number window finds`, () => {
      expectStartsFindWhatWindowsFind({ patterns: recognizer.patterns, starts, texts, windowStarts: true });
    });
  }

  it('finds both forms in context', () => {
    expect(usPassportRecognizer.find(createScanInput('passport A12345678 or 123456789', 'US'))).toHaveLength(
      2,
    );
  });
});
