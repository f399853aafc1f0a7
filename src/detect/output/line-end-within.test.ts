import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineEndWithin } from './line-end-within.js';

// Short lines, long lines and no line at all, around indices anywhere in the text (and just past it).
const texts = fc
  .array(fc.constantFrom('a', 'b c', '\n', '\r\n', 'x'.repeat(30), 'é', '😀'), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('lineEndWithin', () => {
  it('equals the unbounded search cut at the limit', () => {
    fc.assert(
      fc.property(texts, fc.nat(), fc.integer({ min: 0, max: 60 }), (text, at, limit) => {
        const index = at % (text.length + 2);
        const lineEnd = text.indexOf('\n', index);
        expect(lineEndWithin(text, index, limit)).toBe(
          Math.min(lineEnd === -1 ? text.length : lineEnd, index + limit),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
