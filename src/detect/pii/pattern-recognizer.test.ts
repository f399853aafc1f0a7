import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execAll } from './exec-all.js';
import { driverLicenseAnchors, usDriverLicenseRecognizer } from './national-ids-other.js';
import { createPatternRecognizer, type PatternRecognizerOptions } from './pattern-recognizer.js';
import { createScanInput, stickyMatchesAt } from './scan-input.js';

// Digit groups, capitals, hyphens and word characters around them, and the context words.
const texts = fc
  .array(
    fc.tuple(
      fc.constantFrom('', 'A', 'AB', 'ABC', 'x', '-', ' ', '_', 'é', 'DL ', 'licence ', 'license number '),
      fc.oneof(
        fc.stringMatching(/^[0-9]{0,15}$/),
        fc.constantFrom('123-456-78-901', '123-4567-8901', '123-45'),
      ),
      fc.constantFrom('', '-', ' ', 'a', 'B', '.', '\n'),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.map((part) => part.join('')).join(''));

describe('driver licence anchors', () => {
  it('find what a scan of the whole text finds', () => {
    const sticky = usDriverLicenseRecognizer.patterns[0]!;
    const global = new RegExp(sticky.source, 'g');
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        const starts = [...new Set(driverLicenseAnchors(input))].sort((a, b) => a - b);
        const expected = execAll(global, text).map((match) => ({ value: match[0], index: match.index }));
        expect(stickyMatchesAt({ text, pattern: sticky, starts })).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('pattern recognizer prefilter', () => {
  const options: PatternRecognizerOptions = {
    name: 'sample',
    type: 'SAMPLE_ID',
    severity: 'high',
    patterns: [/(?<![\w])\d{3,9}(?![\w])/g],
    validate: (value) => value.length !== 4,
    base: 0.45,
    positive: ['dl', 'licence'],
    requireContext: true,
    needsLongNumber: false,
    prefilter: (text) => text.includes('DL') || text.includes('icen'),
  };
  const lazy = createPatternRecognizer(options);
  const { prefilter, ...withoutPrefilter } = options;
  const plain = createPatternRecognizer(withoutPrefilter);

  it('gives what testing the text first gives', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        const expected = prefilter!(text) ? plain.find(createScanInput(text, 'US')) : [];
        expect(lazy.find(input)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a value in context only when the prefilter passes', () => {
    expect(lazy.find(createScanInput('DL 1234567', 'US'))).toHaveLength(1);
    expect(lazy.find(createScanInput('dl 1234567', 'US'))).toEqual([]);
    expect(usDriverLicenseRecognizer.find(createScanInput("driver's license: A1234567", 'US'))).toHaveLength(
      1,
    );
  });
});
