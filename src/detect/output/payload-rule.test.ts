import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAround } from './payload-rule.js';

/** The unbounded searches `lineAround` replaced. */
function lineAroundUnbounded(text: string, index: number): { line: string; lineStart: number } {
  const from = Math.max(0, index - 1000);
  const previousBreak = text.lastIndexOf('\n', index - 1);
  const lineStart = Math.max(from, previousBreak + 1);
  const nextBreak = text.indexOf('\n', index);
  const lineEnd = Math.min(nextBreak === -1 ? text.length : nextBreak, index + 1000);
  return { line: text.slice(lineStart, lineEnd), lineStart };
}

// Lines shorter and longer than the 1000-character bounds, a break at position 0, and none at all.
const texts = fc
  .array(fc.constantFrom('a', 'nc ', '\n', 'x'.repeat(300), 'y'.repeat(999), 'é'), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('lineAround', () => {
  it('gives the line the unbounded searches gave', () => {
    fc.assert(
      fc.property(texts, fc.nat(), (text, at) => {
        const index = at % (text.length + 1);
        expect(lineAround(text, index)).toEqual(lineAroundUnbounded(text, index));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the line of index 0 when the text starts with a break', () => {
    expect(lineAround('\nnc -e sh', 0)).toEqual(lineAroundUnbounded('\nnc -e sh', 0));
  });
});
