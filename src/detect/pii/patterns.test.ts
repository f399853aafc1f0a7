import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { identityText } from '../../spec/text.js';
import { createPiiDetector } from '../pii.js';
import { PII_PATTERNS } from './recognizers.js';
import { SCAN_INPUT_PATTERNS } from './scan-input.js';

const ALL_PATTERNS = [...PII_PATTERNS, ...SCAN_INPUT_PATTERNS];

describe('pii patterns', () => {
  it('lists every pattern once per recognizer', () => {
    expect(ALL_PATTERNS.length).toBeGreaterThan(40);
  });

  it.each(ALL_PATTERNS.map((pattern) => [pattern.source.slice(0, 60), pattern] as const))(
    'is safe from catastrophic backtracking: %s',
    (_label, pattern) => {
      // A generous checker timeout: on a busy machine the larger street patterns take seconds to prove.
      const result = checkSync(pattern.source, pattern.flags, { timeout: 50_000 });
      expect(result.status).toBe('safe');
    },
    60_000,
  );
});

// Long runs of what each pattern loves: digits, separators, hex, @ and dots, capitalized words, base58.
const MEGABYTE = 1 << 20;
const fill = (unit: string): string => unit.repeat(Math.ceil(MEGABYTE / unit.length)).slice(0, MEGABYTE);
const ADVERSARIAL: readonly [string, string][] = [
  ['digits', fill('1')],
  ['digits and spaces', fill('4 ')],
  ['digits and dashes', fill('12-')],
  ['dotted digits', fill('1.')],
  ['at signs', fill('@')],
  ['local parts and at signs', fill('a@')],
  ['dots', fill('.')],
  ['spaces', fill(' ')],
  ['capitalized words', fill('John Smith ')],
  ['capitalized without spaces', fill('Ab')],
  ['hex and colons', fill('ab:')],
  ['double colons', fill('::1')],
  ['base58', fill('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN')],
  ['scheme separators', fill('a://b:c@')],
  ['street-like', fill('12 Main ')],
  ['uppercase letters and digits', fill('AB12')],
  ['birth phrases', fill('born on 1 ')],
  ['introducers', fill('Mr. ')],
];

describe('pii detector on 1 MB adversarial inputs', () => {
  const detector = createPiiDetector({ minScore: 0 });
  it.each(ADVERSARIAL)('completes on %s', (_label, text) => {
    const findings = detector.detect(text, { role: 'user', normalized: identityText(text) });
    for (const finding of findings) {
      expect(finding.start).toBeGreaterThanOrEqual(0);
      expect(finding.end).toBeLessThanOrEqual(text.length);
    }
  });
});
