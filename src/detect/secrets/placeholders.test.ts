import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FILLER_NAME_PATTERN,
  FILLER_PATTERN,
  isPlaceholder,
  isRepetitive,
  PLACEHOLDER_WORDS,
} from './placeholders.js';
import { referenceIsRepetitive } from './test-support/reference-is-repetitive.js';

/** `isPlaceholder` as first written: every check run in turn, no shortcut. */
function referenceIsPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) return true;
  const markers = ['${', '{{', '}}', '<%', '%(', 'process.env', 'os.environ', 'os.getenv', 'env(', 'ENV['];
  for (const marker of markers) if (trimmed.includes(marker)) return true;
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];
  if ((first === '<' && last === '>') || (first === '[' && last === ']') || (first === '{' && last === '}')) {
    return true;
  }
  if (first === '$' && /^\$[A-Za-z_][A-Za-z0-9_]{0,128}$/.test(trimmed)) return true;
  if (first === '%' && last === '%') return true;
  const folded = trimmed.toLowerCase().replace(/[-_.\s]/g, '');
  if (PLACEHOLDER_WORDS.has(folded)) return true;
  if (FILLER_NAME_PATTERN.test(folded)) return true;
  if (FILLER_PATTERN.test(trimmed)) return true;
  return referenceIsRepetitive(trimmed);
}

// Pieces that reach every check: markers and their characters, words, filler names, separators, Unicode
// whitespace and letters whose lower case differs in length (U+0130) or is ASCII (U+212A KELVIN SIGN).
const PIECES = [
  'your',
  'my',
  'insert',
  'api',
  'Key',
  'here',
  'token',
  'password',
  'changeme',
  'abc123',
  'hunter2',
  '_',
  '-',
  '.',
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u2028',
  '\u0130',
  '\u212a',
  'é',
  '…',
  '${',
  '{',
  '}',
  '<',
  '>',
  '%',
  '(',
  '[',
  ']',
  '$',
  'process',
  'env',
  'ENV',
  'os',
  'environ',
  'getenv',
  'x',
  'X',
  'a',
  'Z',
  '0',
  '9',
  'q',
  'wErTy',
  'EXAMPLE',
  'AKIA',
  'f3Kq9ZpL2vX8',
];

describe('isRepetitive', () => {
  it('answers as counting every character (property)', () => {
    // Few distinct characters, so that shares near 0.6 and two-character values come up, astral included.
    const values = fc
      .array(fc.constantFrom('a', 'a', 'a', 'b', 'c', '-', 'é', '😀', '\ud800'), { maxLength: 24 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(values, (value) => {
        expect(isRepetitive(value)).toBe(referenceIsRepetitive(value));
      }),
      { numRuns: 4000, seed: 3 },
    );
  });
});

describe('isPlaceholder', () => {
  it('answers as running every check in turn (property)', () => {
    const values = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(values, (value) => {
        expect(isPlaceholder(value)).toBe(referenceIsPlaceholder(value));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('keeps the cases the shortcuts skip', () => {
    for (const value of ['your-api-key', 'YOUR_API_KEY_HERE', 'Pass.Word', 'x'.repeat(56), '<%= token %>']) {
      expect(isPlaceholder(value)).toBe(true);
    }
    for (const value of ['f3Kq9ZpL2vX8', 'ghp_f3Kq9ZpL2vX8aB7cD1eF0gH4iJ6kL8mN0pQ2', 'aaab1C2d3E4']) {
      expect(isPlaceholder(value)).toBe(referenceIsPlaceholder(value));
    }
  });
});
