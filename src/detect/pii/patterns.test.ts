import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { identityText } from '../../spec/text.js';
import { createPiiDetector } from '../pii.js';
import { PII_PATTERNS } from './recognizers.js';
import { SCAN_INPUT_PATTERNS } from './scan-input.js';

const ALL_PATTERNS = [...PII_PATTERNS, ...SCAN_INPUT_PATTERNS];

/**
 * Removes lookaround groups and returns them separately. The automaton checker of recheck cannot handle
 * lookarounds, so the hybrid checker falls back to (random) fuzzing for patterns that have them; the
 * consuming part is proved safe exactly by the automaton checker instead, and the lookarounds are
 * checked to be single steps (no quantifiers inside), which cannot add backtracking.
 */
function splitLookarounds(source: string): { consuming: string; lookarounds: string[] } {
  let consuming = '';
  const lookarounds: string[] = [];
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index]!;
    if (char === '\\') {
      consuming += char + (source[index + 1] ?? '');
      index += 1;
      continue;
    }
    const opensLookaround = ['(?<!', '(?<=', '(?!', '(?='].some((prefix) => source.startsWith(prefix, index));
    if (char !== '(' || !opensLookaround) {
      consuming += char;
      continue;
    }
    const start = index;
    let depth = 0;
    let inClass = false;
    for (; index < source.length; index += 1) {
      const inner = source[index]!;
      if (inner === '\\') {
        index += 1;
        continue;
      }
      if (inClass) {
        if (inner === ']') inClass = false;
        continue;
      }
      if (inner === '[') inClass = true;
      else if (inner === '(') depth += 1;
      else if (inner === ')') {
        depth -= 1;
        if (depth === 0) break;
      }
    }
    lookarounds.push(source.slice(start, index + 1));
  }
  return { consuming, lookarounds };
}

// Fixed seed and step limits only (no wall-clock limits): the same verdict on a busy or an idle machine.
const DETERMINISTIC = { randomSeed: 0, timeout: null, attackTimeout: null, incubationTimeout: null } as const;

const QUANTIFIER_OUTSIDE_CLASS = /(?:^|[^\\])(?:[*+?]|\{\d)/;

describe('pii patterns', () => {
  it('lists every pattern once per recognizer', () => {
    expect(ALL_PATTERNS.length).toBeGreaterThan(40);
  });

  it.each(ALL_PATTERNS.map((pattern) => [pattern.source.slice(0, 60), pattern] as const))(
    'is safe from catastrophic backtracking: %s',
    (_label, pattern) => {
      const flags = pattern.flags.replace('y', '');
      const { consuming, lookarounds } = splitLookarounds(pattern.source);
      // Exact proof (automaton checker) for the part that consumes input.
      expect(checkSync(consuming, flags, { ...DETERMINISTIC, checker: 'automaton' }).status).toBe('safe');
      for (const lookaround of lookarounds) {
        const inside = lookaround.replace(/^\(\?<?[!=]/, '').replace(/\[(?:\\.|[^\]\\])*\]/g, 'c');
        expect(QUANTIFIER_OUTSIDE_CLASS.test(inside)).toBe(false);
      }
      // And the whole pattern as written, with the default hybrid checker (fixed seed and step limits only:
      // with wall-clock limits the fuzzer explores less on a busy machine and its verdict can change).
      expect(checkSync(pattern.source, pattern.flags, DETERMINISTIC).status).toBe('safe');
    },
    120_000,
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
  // More lowercase introducer positions than a call has argument slots.
  ['lowercase introducers', fill('name')],
  ['letter closings', fill('regards,')],
  ['camel case', fill('aB')],
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
