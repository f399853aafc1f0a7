import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shannonEntropy } from './entropy.js';
import { isRepetitive } from './placeholders.js';
import { referenceIsRepetitive } from './test-support/reference-is-repetitive.js';

/** The Map-based entropy the counting array replaced: same terms, summed in first-occurrence order. */
function entropyWithMap(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / value.length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

// ASCII, Latin-1, astral characters (surrogate pairs) and lone surrogates, in short and repetitive mixes.
const values = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('a', 'b', 'A', '0', '-', 'é', '😀', '\ud800', '\udc00'), maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
  // Two characters, one astral: counting code units instead of code points would see three.
  fc.string({ unit: fc.constantFrom('a', '😀'), minLength: 3, maxLength: 12 }),
);

describe('shannonEntropy', () => {
  it('gives bit for bit the value of the Map-based count, on any string', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(Object.is(shannonEntropy(value), entropyWithMap(value))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves no count behind between calls', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('ab')).toBe(1);
    expect(shannonEntropy('aaaa')).toBe(0);
  });
});

describe('isRepetitive', () => {
  it('agrees with the Map-based count, on any string', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(isRepetitive(value)).toBe(referenceIsRepetitive(value));
      }),
      { numRuns: 2000 },
    );
  });
});
