import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RuleRegion, windowsAround } from './anchor-gate.js';
import { isSpace } from './phrase-anchors.js';

/** The windows as the gate computed them before its shortcuts: every hit merged, then the share checked. */
function referenceWindows(text: string, hits: readonly number[], reach: number): RuleRegion {
  if (hits.length * 2 * reach > text.length * 4) return 'all';
  const windows: [number, number][] = [];
  let covered = 0;
  for (const hit of [...hits].sort((left, right) => left - right)) {
    let start = Math.max(0, hit - reach);
    const end = Math.min(text.length, hit + reach);
    const last = windows[windows.length - 1];
    if (last && start <= last[1]) {
      covered += end - last[1];
      last[1] = end;
      continue;
    }
    while (start > 0 && !isSpace(text.charCodeAt(start - 1))) start--;
    windows.push([start, end]);
    covered += end - start;
  }
  return covered > text.length * 0.5 ? 'all' : windows;
}

describe('anchor gate windows', () => {
  it('are the merged windows around the hits, or the whole text, as before the shortcuts (property)', () => {
    const cases = fc
      .tuple(
        fc.array(fc.constantFrom('a', 'b', ' ', '\n', '.'), { minLength: 1, maxLength: 900 }),
        fc.integer({ min: 1, max: 400 }),
      )
      .chain(([chars, reach]) =>
        fc.tuple(
          fc.constant(chars.join('')),
          fc.constant(reach),
          fc.array(fc.nat(chars.length - 1), { minLength: 1, maxLength: 40 }),
        ),
      );
    fc.assert(
      fc.property(cases, ([text, reach, hits]) => {
        expect(windowsAround(text, [...hits], reach)).toEqual(referenceWindows(text, hits, reach));
      }),
      { numRuns: 1000 },
    );
  });
});
