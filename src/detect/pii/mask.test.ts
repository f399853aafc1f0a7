import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskKeepLast } from './mask.js';

/** The masking rule over code points for every value: the specification of the ASCII path. */
function maskByCodePoint(value: string, keep: number): string {
  const chars = [...value];
  const alphanumeric = (char: string) => /[\p{L}\p{N}]/u.test(char);
  const total = chars.filter(alphanumeric).length;
  const visibleFrom = Math.max(total - keep, Math.ceil(total / 2));
  let seen = 0;
  return chars
    .map((char) => {
      if (!alphanumeric(char)) return char;
      seen += 1;
      return seen - 1 >= visibleFrom ? char : '*';
    })
    .join('');
}

describe('maskKeepLast', () => {
  it('masks ASCII and other values as the code-point rule does', () => {
    const values = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789 -.:@/+()abcXYZ_'), maxLength: 40 }),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    fc.assert(
      fc.property(values, fc.integer({ min: 0, max: 6 }), (value, keep) => {
        expect(maskKeepLast(value, keep)).toBe(maskByCodePoint(value, keep));
      }),
      { numRuns: 5000 },
    );
    expect(maskKeepLast('4111 1111 1111 1111', 4)).toBe('**** **** **** 1111');
    expect(maskKeepLast('Müller-7', 2)).toBe('*****r-7');
  });
});
