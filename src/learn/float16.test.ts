import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';

describe('float16', () => {
  it('round-trips exactly representable values', () => {
    for (const value of [0, 1, -1, 0.5, 2048, 65504, -0.25, 2 ** -24]) {
      expect(fromFloat16Bits(toFloat16Bits(value))).toBe(value);
    }
  });

  it('keeps relative error below 2^-11 in the normal range', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2 ** -14, max: 60000, noNaN: true }),
        fc.boolean(),
        (magnitude, negative) => {
          const value = negative ? -magnitude : magnitude;
          const decoded = fromFloat16Bits(toFloat16Bits(value));
          expect(Math.abs(decoded - value) / Math.abs(value)).toBeLessThanOrEqual(2 ** -11);
        },
      ),
    );
  });

  it('maps overflow to infinity and keeps NaN', () => {
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
  });
});
