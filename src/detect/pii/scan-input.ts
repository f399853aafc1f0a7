import type { ScanInput } from './candidate.js';

const DIGIT = /\d/;
const LONG_NUMBER = /\d(?:[ ./-]?\d){5}/;
const DIGIT_RUN = /\d{1,32}/g;

/** Regular expressions used to build a `ScanInput` (for the ReDoS test). */
export const SCAN_INPUT_PATTERNS: readonly RegExp[] = [DIGIT, LONG_NUMBER, DIGIT_RUN];

/** A `ScanInput` whose facts are computed on first use and then cached. */
export function createScanInput(text: string, defaultRegion: string): ScanInput {
  let hasDigit: boolean | undefined;
  let hasLongNumber: boolean | undefined;
  let digitRuns: { start: number; end: number }[] | undefined;
  return {
    text,
    defaultRegion,
    get hasDigit() {
      hasDigit ??= DIGIT.test(text);
      return hasDigit;
    },
    get hasLongNumber() {
      hasLongNumber ??= this.hasDigit && LONG_NUMBER.test(text);
      return hasLongNumber;
    },
    get digitRuns() {
      if (digitRuns === undefined) {
        digitRuns = [];
        if (this.hasDigit) {
          for (const run of text.matchAll(DIGIT_RUN))
            digitRuns.push({ start: run.index, end: run.index + run[0].length });
        }
      }
      return digitRuns;
    },
  };
}

/**
 * Windows of the text around digit runs (`before` characters before each run, `after` after it),
 * merged when they overlap. Recognizers whose values always hold a number scan only these.
 */
export function digitWindows(options: {
  input: ScanInput;
  before: number;
  after: number;
}): { start: number; end: number }[] {
  const { input, before, after } = options;
  const windows: { start: number; end: number }[] = [];
  for (const run of input.digitRuns) {
    let start = Math.max(0, run.start - before);
    // Start on a word boundary so patterns with a leading lookbehind see whole words.
    const floor = Math.max(0, start - 32);
    while (start > floor && /[\p{L}\p{N}]/u.test(input.text[start - 1]!)) start -= 1;
    const end = Math.min(input.text.length, run.end + after);
    const last = windows[windows.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else windows.push({ start, end });
  }
  return windows;
}
