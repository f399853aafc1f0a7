// A property shared by the recognizers that try their sticky pattern only at chosen starts inside the
// long-number windows.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ScanInput } from '../candidate.js';
import { createScanInput, matchesInWindows, stickyMatchesInWindows } from '../scan-input.js';

/**
 * Asserts, over `texts`, that the sticky pattern tried only at `starts` finds exactly what the global
 * pattern finds scanning each long-number window (`patterns` is `[global, sticky]`).
 */
export function expectStartsFindWhatWindowsFind(options: {
  patterns: readonly RegExp[];
  starts: (input: ScanInput) => number[];
  texts: fc.Arbitrary<string>;
  windowStarts?: boolean;
}): void {
  const [global, sticky] = options.patterns as [RegExp, RegExp];
  expect(sticky.sticky).toBe(true);
  fc.assert(
    fc.property(options.texts, (text) => {
      const input = createScanInput(text, 'US');
      const windows = input.longNumberWindows;
      expect(
        stickyMatchesInWindows({
          text,
          windows,
          pattern: sticky,
          starts: options.starts(input),
          ...(options.windowStarts ? { windowStarts: true } : {}),
        }),
      ).toEqual(matchesInWindows({ text, windows, pattern: global }));
    }),
    { numRuns: 4000 },
  );
}
