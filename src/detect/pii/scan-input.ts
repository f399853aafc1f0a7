import { isAsciiCapital, isAsciiWordCode } from '../ascii-codes.js';
import type { DigitRun, ScanInput } from './candidate.js';
import { execAll } from './exec-all.js';

const DIGIT = /\d/;
const DIGIT_JUMP = /\d/g;
/** Characters searched by hand for the next digit before the pattern jump takes over. */
const DIGIT_LOOKAHEAD = 6;
/** What `longNumberRuns` computes without a regex pass (kept as its specification and test oracle). */
export const LONG_NUMBER_RUN = /\d(?:[ ./-]?\d){5,64}/g;
/** Characters kept around a long number: enough for the longest identifier that contains one (IBAN). */
const LONG_NUMBER_MARGIN = 48;

/** Regular expressions used to build a `ScanInput` (for the ReDoS test). */
export const SCAN_INPUT_PATTERNS: readonly RegExp[] = [DIGIT, DIGIT_JUMP, LONG_NUMBER_RUN];

/**
 * Run lengths sorted into buckets while the runs are found: three digits up to this many. Shorter runs
 * (most runs in code, and no recognizer asks for them) and longer ones are filtered on demand.
 */
const SHORTEST_BUCKET = 3;
const LENGTH_BUCKETS = 20;
const NO_RUNS: readonly DigitRun[] = [];

/** Space ( ) . - / and no-break space: what `runsBeforeSeparator` lists runs before. */
function isGroupSeparator(code: number): boolean {
  return (
    code === 32 || code === 40 || code === 41 || code === 46 || code === 45 || code === 47 || code === 0xa0
  );
}

/** Facts computed on first use and cached; a class keeps the per-text cost to one small object. */
class LazyScanInput implements ScanInput {
  #hasDigit: boolean | undefined;
  #hasLongNumber: boolean | undefined;
  #index: DigitRunIndex | undefined;
  #longNumberWindows: TextWindow[] | undefined;
  #windowsWith: Map<number, TextWindow[]> | undefined;
  #windowChainDigits: number[] | undefined;
  #runsOfAtLeast: Map<number, DigitRun[]> | undefined;

  constructor(
    readonly text: string,
    readonly defaultRegion: string,
  ) {}

  get hasDigit(): boolean {
    // Once the runs are known they answer this; otherwise one search that stops at the first digit.
    this.#hasDigit ??= this.#index === undefined ? DIGIT.test(this.text) : this.#index.runs.length > 0;
    return this.#hasDigit;
  }

  get hasLongNumber(): boolean {
    this.#hasLongNumber ??= this.longNumberWindows.length > 0;
    return this.#hasLongNumber;
  }

  get digitRuns(): readonly { start: number; end: number }[] {
    // No separate digit test first: on a text whose first digit is far in, it would read the text up to
    // there twice. Without any digit the search reads the text once and finds nothing.
    return this.#runIndex().runs;
  }

  /** The digit runs and the lists sorted from them, found in one pass over the text on first use. */
  #runIndex(): DigitRunIndex {
    this.#index ??= indexDigitRuns(this.text);
    return this.#index;
  }

  get longNumberWindows(): readonly TextWindow[] {
    if (this.#longNumberWindows === undefined) {
      const windows: TextWindow[] = [];
      const chainDigits: number[] = [];
      // The matches of LONG_NUMBER_RUN, derived from the digit runs instead of a second regex pass.
      const index = this.#runIndex();
      forEachLongNumber(index.runs, index.longChains, (start, end, digits) => {
        addWindow({
          text: this.text,
          windows,
          start: start - LONG_NUMBER_MARGIN,
          end: end + LONG_NUMBER_MARGIN,
        });
        // `addWindow` leaves the window that holds this match last (new, widened or unchanged).
        const index = windows.length - 1;
        if (digits > (chainDigits[index] ?? 0)) chainDigits[index] = digits;
      });
      this.#longNumberWindows = windows;
      this.#windowChainDigits = chainDigits;
    }
    return this.#longNumberWindows;
  }

  runsOfLength(digits: number): readonly DigitRun[] {
    if (digits < SHORTEST_BUCKET || digits > LENGTH_BUCKETS) {
      return this.digitRuns.filter((run) => run.end - run.start === digits);
    }
    return this.#runIndex().byLength[digits] ?? NO_RUNS;
  }

  get runsAfterCapital(): readonly DigitRun[] {
    return this.#runIndex().afterCapital;
  }

  get runsAfterBoundary(): readonly DigitRun[] {
    return this.#runIndex().afterBoundary;
  }

  get runsAfterNonWord(): readonly DigitRun[] {
    return this.#runIndex().afterNonWord;
  }

  get runsBeforeSeparator(): readonly DigitRun[] {
    return this.#runIndex().beforeSeparator;
  }

  runsOfAtLeast(digits: number): readonly DigitRun[] {
    this.#runsOfAtLeast ??= new Map();
    let kept = this.#runsOfAtLeast.get(digits);
    if (kept === undefined) {
      kept = [];
      for (const run of this.digitRuns) if (run.end - run.start >= digits) kept.push(run);
      this.#runsOfAtLeast.set(digits, kept);
    }
    return kept;
  }

  longNumberWindowsWith(digits: number): readonly TextWindow[] {
    const windows = this.longNumberWindows;
    // Every window already meets a chain of six digits (a LONG_NUMBER_RUN match).
    if (digits <= 6) return windows;
    this.#windowsWith ??= new Map();
    let kept = this.#windowsWith.get(digits);
    if (kept === undefined) {
      const chainDigits = this.#windowChainDigits!;
      kept = windows.filter((_, index) => chainDigits[index]! >= digits);
      this.#windowsWith.set(digits, kept);
    }
    return kept;
  }
}

/** The digit runs of a text and lists of them, each in text order, for the anchor searches. */
interface DigitRunIndex {
  /** The maximal runs of ASCII digits (the matches of `/\d+/g`). */
  runs: DigitRun[];
  /** Runs by digit count, from `SHORTEST_BUCKET` to `LENGTH_BUCKETS` (sparse). */
  byLength: DigitRun[][];
  /** Runs right after `[A-Z]`. */
  afterCapital: DigitRun[];
  /** Runs after neither a word character nor a hyphen. */
  afterBoundary: DigitRun[];
  /** Runs after no word character (a hyphen may come before). */
  afterNonWord: DigitRun[];
  /** Runs followed by a space ( ) . - / or no-break space. */
  beforeSeparator: DigitRun[];
  /**
   * Chains of runs joined by single LONG_NUMBER_RUN separators that hold six digits or more, as pairs
   * of run indexes (first, last): the only chains `LONG_NUMBER_RUN` matches in.
   */
  longChains: number[];
}

/**
 * The index of a text without digits (many chat messages), shared. Nothing writes to an index's lists
 * once it is built (the scan input hands them out read-only); not frozen, so every index keeps one shape.
 */
const NO_DIGIT_RUNS: DigitRunIndex = {
  runs: [],
  byLength: [],
  afterCapital: [],
  afterBoundary: [],
  afterNonWord: [],
  beforeSeparator: [],
  longChains: [],
};

/**
 * The digit runs and every list sorted from them, in one pass over the text: the characters around a
 * run are read once here, where the run is found (the one after it is already read to end the run),
 * instead of by each recognizer that needs them. Code holds thousands of short runs inside identifiers
 * and hex strings; each anchor search then reads only the few runs it can use.
 */
function indexDigitRuns(text: string): DigitRunIndex {
  const runs: DigitRun[] = [];
  const byLength: DigitRun[][] = [];
  const afterCapital: DigitRun[] = [];
  const afterBoundary: DigitRun[] = [];
  const afterNonWord: DigitRun[] = [];
  const beforeSeparator: DigitRun[] = [];
  const longChains: number[] = [];
  // The chain being followed: its first run, its digits, and whether the last run's next character
  // joins it to a run that starts right after.
  let chainFirst = 0;
  let chainDigits = 0;
  let joinsNext = false;
  let previousEnd = -2;
  const length = text.length;
  let position = 0;
  for (;;) {
    // Numbers cluster (code, tables, addresses): look a few characters ahead by hand first, and
    // jump with a pattern that allocates nothing only past that, where the call pays for itself.
    let start = -1;
    const near = Math.min(length, position + DIGIT_LOOKAHEAD);
    for (let index = position; index < near; index++) {
      const code = text.charCodeAt(index);
      if (code >= 48 && code <= 57) {
        start = index;
        break;
      }
    }
    if (start < 0) {
      if (near >= length) break;
      DIGIT_JUMP.lastIndex = near;
      if (!DIGIT_JUMP.test(text)) break;
      start = DIGIT_JUMP.lastIndex - 1;
    }
    let end = start + 1;
    let after = -1; // past the end of the text: no class (an integer, as character codes are)
    while (end < length) {
      const code = text.charCodeAt(end);
      if (code < 48 || code > 57) {
        after = code;
        break;
      }
      end += 1;
    }
    const run: DigitRun = { start, end };
    const digits = end - start;
    // A run continues the chain when the previous run ends one separator before it.
    if (joinsNext && previousEnd + 1 === start) chainDigits += digits;
    else {
      if (chainDigits >= 6) longChains.push(chainFirst, runs.length - 1);
      chainFirst = runs.length;
      chainDigits = digits;
    }
    runs.push(run);
    if (digits >= SHORTEST_BUCKET && digits <= LENGTH_BUCKETS) {
      const bucket = byLength[digits];
      if (bucket === undefined) byLength[digits] = [run];
      else bucket.push(run);
    }
    const before = start > 0 ? text.charCodeAt(start - 1) : -1; // before the text: no class
    if (isAsciiCapital(before)) afterCapital.push(run);
    else if (!isAsciiWordCode(before)) {
      afterNonWord.push(run);
      if (before !== 45) afterBoundary.push(run); // not after a hyphen
    }
    if (isGroupSeparator(after)) beforeSeparator.push(run);
    joinsNext = isNumberSeparator(after);
    previousEnd = end;
    // The character at `end` is not a digit.
    position = end + 1;
  }
  if (runs.length === 0) return NO_DIGIT_RUNS;
  if (chainDigits >= 6) longChains.push(chainFirst, runs.length - 1);
  return { runs, byLength, afterCapital, afterBoundary, afterNonWord, beforeSeparator, longChains };
}

/** The chains of runs joined by single separators that hold six digits or more (see `DigitRunIndex`). */
function findLongChains(text: string, runs: readonly DigitRun[]): number[] {
  const chains: number[] = [];
  let first = 0;
  while (first < runs.length) {
    let last = first;
    let digits = runs[first]!.end - runs[first]!.start;
    while (
      last + 1 < runs.length &&
      runs[last + 1]!.start === runs[last]!.end + 1 &&
      isNumberSeparator(text.charCodeAt(runs[last]!.end))
    ) {
      last += 1;
      digits += runs[last]!.end - runs[last]!.start;
    }
    if (digits >= 6) chains.push(first, last);
    first = last + 1;
  }
  return chains;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** True for the separators LONG_NUMBER_RUN allows between two digits: space, dot, slash, hyphen. */
function isNumberSeparator(code: number): boolean {
  return code === 32 || code === 46 || code === 47 || code === 45;
}

/**
 * The spans `LONG_NUMBER_RUN` (`\d(?:[ ./-]?\d){5,64}`, global) matches, computed from the digit runs.
 * The pattern takes digits joined by at most one separator, greedily, up to 65 digits; so a chain of
 * runs joined by single separators yields matches of 65 digits from its first digit on, and a last match
 * when at least 6 digits remain. Chains of fewer than 6 digits match nowhere (a later start has fewer).
 */
export function longNumberRuns(
  text: string,
  runs: readonly { start: number; end: number }[],
): { start: number; end: number }[] {
  const matches: { start: number; end: number }[] = [];
  forEachLongNumber(runs, findLongChains(text, runs), (start, end) => {
    matches.push({ start, end });
  });
  return matches;
}

/**
 * Calls `visit` with each span `longNumberRuns` gives, in order, walking the long chains (pairs of run
 * indexes, see `DigitRunIndex`), and the digit count of the whole chain the span belongs to. A value
 * whose digits are joined by at most one space, dot, slash or hyphen lies in one chain; if it holds
 * seven digits or more it meets one of the chain's spans (only a chain's last five digits or fewer can
 * be left out of them), so its window is that span's window, which therefore counts at least as many
 * chain digits as the value holds.
 */
function forEachLongNumber(
  runs: readonly DigitRun[],
  longChains: readonly number[],
  visit: (start: number, end: number, chainDigits: number) => void,
): void {
  for (let chain = 0; chain < longChains.length; chain += 2) {
    // The chain: runs [first, last] where each gap is exactly one separator character.
    const first = longChains[chain]!;
    const last = longChains[chain + 1]!;
    let digits = 0;
    for (let index = first; index <= last; index += 1) digits += runs[index]!.end - runs[index]!.start;
    // Walk the chain in matches of at most 65 digits.
    const chainDigits = digits;
    let runIndex = first;
    let position = runs[first]!.start;
    while (digits >= 6) {
      const take = Math.min(65, digits);
      const start = position;
      let left = take;
      for (;;) {
        const run = runs[runIndex]!;
        const available = run.end - position;
        if (left < available) {
          position += left;
          break;
        }
        left -= available;
        position = run.end;
        if (left === 0) break;
        runIndex += 1;
        position = runs[runIndex]!.start;
      }
      visit(start, position, chainDigits);
      digits -= take;
      if (position === runs[runIndex]!.end && runIndex < last) {
        runIndex += 1;
        position = runs[runIndex]!.start;
      }
    }
  }
}

/** A slice of the text: `start` inclusive, `end` exclusive. */
export interface TextWindow {
  start: number;
  end: number;
  /** The window's text, cut once and shared by the recognizers that scan it. */
  slice?: string;
}

/** Letters, digits, underscore; any non-ASCII character counts too (widening a window is harmless). */
function isWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code > 127
  );
}

/**
 * Appends a window, widened to word boundaries (so patterns with lookbehind and lookahead see whole
 * tokens; at most 32 characters each way) and merged with the previous window when they overlap.
 * Windows arrive in text order.
 */
function addWindow(options: { text: string; windows: TextWindow[]; start: number; end: number }): void {
  const { text, windows } = options;
  let start = Math.max(0, options.start);
  let end = Math.min(text.length, options.end);
  const last = windows[windows.length - 1];
  if (last && start <= last.end) {
    if (end <= last.end) return;
    start = last.end;
  } else {
    const floor = Math.max(0, start - 32);
    while (start > floor && isWordCode(text.charCodeAt(start - 1))) start -= 1;
  }
  const ceiling = Math.min(text.length, end + 32);
  while (end < ceiling && isWordCode(text.charCodeAt(end))) end += 1;
  if (last && start <= last.end) last.end = end;
  else windows.push({ start, end });
}

/**
 * Matches of a sticky pattern tried only at the given start positions (ascending), skipping starts
 * inside an earlier match. Recognizers whose values begin at a digit run use the run starts, which
 * costs one attempt per number instead of a pass over the whole text.
 */
export function stickyMatchesAt(options: {
  text: string;
  pattern: RegExp;
  starts: Iterable<number>;
}): { value: string; index: number }[] {
  const { text, pattern } = options;
  const matches: { value: string; index: number }[] = [];
  let after = 0;
  for (const start of options.starts) {
    let position = start;
    while (position >= after && position < text.length) {
      pattern.lastIndex = position;
      const match = pattern.exec(text);
      if (!match || match[0].length === 0) break;
      matches.push({ value: match[0], index: position });
      after = position + match[0].length;
      // a long run may hold another match right after this one
      const next = text.charCodeAt(after);
      if (!(next >= 48 && next <= 57)) break;
      position = after;
    }
  }
  return matches;
}

/** The window's text, cut once and cached on the window (windows are this module's own objects). */
function windowText(text: string, window: TextWindow): string {
  // Set as `matchesInWindows` sets it, whole-text windows included, so windows keep one shape.
  window.slice ??=
    window.start === 0 && window.end === text.length ? text : text.slice(window.start, window.end);
  return window.slice;
}

/** Matches of a global pattern inside the windows, with indexes into the whole text. */
export function matchesInWindows(options: {
  text: string;
  windows: readonly TextWindow[];
  pattern: RegExp;
}): { value: string; index: number }[] {
  const matches: { value: string; index: number }[] = [];
  for (const window of options.windows) {
    // Windows are this module's own objects: caching the cut text on them is safe.
    const whole = window.start === 0 && window.end === options.text.length;
    const slice = whole
      ? options.text
      : ((window as TextWindow).slice ?? options.text.slice(window.start, window.end));
    (window as TextWindow).slice = slice;
    for (const match of execAll(options.pattern, slice))
      matches.push({ value: match[0], index: window.start + match.index });
  }
  return matches;
}

/**
 * What `matchesInWindows` gives for a global pattern, found by its sticky twin tried only at `starts`
 * (ascending, without repeats, as offsets into the whole text) inside each window's text. It gives the
 * same matches whenever every match the global pattern can find in a window's text starts at one of
 * `starts`: from each search position the global scan returns the match at the first start at or after
 * it where the pattern matches, and trying the starts in order past the previous match does the same.
 * Windows without a start are not cut at all.
 */
export function stickyMatchesInWindows(options: {
  text: string;
  windows: readonly TextWindow[];
  pattern: RegExp;
  starts: readonly number[];
  /**
   * Also try each window's first character (before the starts in it): for patterns whose matches open
   * at a digit-run start, since a window may begin inside a run, where its text shows a run start.
   */
  windowStarts?: boolean;
}): { value: string; index: number }[] {
  const { text, pattern, starts } = options;
  const matches: { value: string; index: number }[] = [];
  let next = 0;
  for (const window of options.windows) {
    while (next < starts.length && starts[next]! < window.start) next += 1;
    let after = window.start;
    if (options.windowStarts && isDigitCode(text.charCodeAt(window.start))) {
      pattern.lastIndex = 0;
      const match = pattern.exec(windowText(text, window as TextWindow));
      if (match !== null) {
        matches.push({ value: match[0], index: window.start });
        after = window.start + Math.max(1, match[0].length);
      }
    }
    if (next === starts.length) {
      if (options.windowStarts) continue;
      break;
    }
    if (starts[next]! >= window.end) continue;
    const slice = windowText(text, window as TextWindow);
    for (; next < starts.length && starts[next]! < window.end; next += 1) {
      const start = starts[next]!;
      if (start < after) continue;
      pattern.lastIndex = start - window.start;
      const match = pattern.exec(slice);
      if (match === null) continue;
      matches.push({ value: match[0], index: start });
      after = start + Math.max(1, match[0].length);
    }
  }
  pattern.lastIndex = 0;
  return matches;
}

/** A `ScanInput` whose facts are computed on first use and then cached. */
export function createScanInput(text: string, defaultRegion: string): ScanInput {
  return new LazyScanInput(text, defaultRegion);
}

/**
 * Windows of the text around digit runs (`before` characters before each run, `after` after it),
 * merged when they overlap. Recognizers whose values always hold a number scan only these.
 */
export function digitWindows(options: {
  input: ScanInput;
  before: number;
  after: number;
  /** Only these runs (in text order) open a window; all digit runs by default. */
  runs?: readonly DigitRun[];
}): TextWindow[] {
  const { input, before, after } = options;
  const { text } = input;
  const windows: TextWindow[] = [];
  for (const run of options.runs ?? input.digitRuns) {
    addWindow({ text, windows, start: run.start - before, end: run.end + after });
  }
  return windows;
}
