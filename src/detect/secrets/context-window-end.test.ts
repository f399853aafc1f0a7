import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextWindowEnd } from './context-window-end.js';

/** The unbounded searches `contextWindowEnd` replaced. */
function windowEndUnbounded(text: string, from: number, window: number): number {
  let to = Math.min(text.length, from + window);
  const firstNewline = text.indexOf('\n', from);
  if (firstNewline !== -1 && firstNewline < to) {
    const secondNewline = text.indexOf('\n', firstNewline + 1);
    if (secondNewline !== -1 && secondNewline < to) to = secondNewline;
  }
  return to;
}

const texts = fc
  .array(fc.constantFrom('a', 'key: ', '\n', '\r\n', 'x'.repeat(40), '😀'), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('contextWindowEnd', () => {
  it('equals the unbounded search for breaks, cut at the window', () => {
    fc.assert(
      fc.property(texts, fc.nat(), fc.integer({ min: 0, max: 200 }), (text, at, window) => {
        const from = at % (text.length + 1);
        expect(contextWindowEnd(text, from, window)).toBe(windowEndUnbounded(text, from, window));
      }),
      { numRuns: 3000 },
    );
  });
});
