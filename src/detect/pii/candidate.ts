import type { Severity } from '../../spec/severity.js';

/** A PII value found by one recognizer, before overlap resolution and thresholds. */
export interface PiiCandidate {
  /** Entity type, e.g. `CREDIT_CARD`. */
  type: string;
  /** Start offset in the scanned text (JavaScript string index). */
  start: number;
  /** End offset (exclusive). */
  end: number;
  /** Confidence 0..1. */
  score: number;
  severity: Severity;
  /** Stable rule id, e.g. `pii.credit-card`. */
  ruleId: string;
}

/** A maximal run of ASCII digits: `start` inclusive, `end` exclusive. */
export interface DigitRun {
  readonly start: number;
  readonly end: number;
}

/** The text a recognizer scans, with cheap facts computed once (lazily) for prefilters. */
export interface ScanInput {
  readonly text: string;
  /** True when the text holds at least one ASCII digit. */
  readonly hasDigit: boolean;
  /**
   * True when the text holds six digits in a row, allowing one space, dash, dot or slash between them.
   * Every numeric identifier, card, account and phone number has such a run.
   */
  readonly hasLongNumber: boolean;
  /**
   * Windows around the long numbers (see `hasLongNumber`), widened to word boundaries and merged.
   * Identifiers that contain a long number lie inside them.
   */
  readonly longNumberWindows: readonly { start: number; end: number }[];
  /**
   * The long-number windows holding a long number whose chain (digit runs joined by single spaces, dots,
   * slashes or hyphens, as in `hasLongNumber`) has at least `digits` digits; the same window objects, in
   * order. A value of seven digits or more, each joined to the next by at most one such separator, can
   * only lie in one of these.
   */
  longNumberWindowsWith(digits: number): readonly { start: number; end: number }[];
  /** Spans of the digit runs in the text, in order. */
  readonly digitRuns: readonly DigitRun[];
  /**
   * The digit runs of exactly `digits` digits, in order (the same objects as in `digitRuns`). Anchor
   * searches that need one length read these instead of every run of the text.
   */
  runsOfLength(digits: number): readonly DigitRun[];
  /** The digit runs right after an ASCII capital (`[A-Z]`), in order (the same objects as in `digitRuns`). */
  readonly runsAfterCapital: readonly DigitRun[];
  /**
   * The digit runs after neither a word character nor a hyphen (`(?<![\w-])` holds at their start), in
   * order (the same objects as in `digitRuns`).
   */
  readonly runsAfterBoundary: readonly DigitRun[];
  /**
   * The digit runs after no word character (`(?<![\w])` holds at their start; a hyphen may come before),
   * in order (the same objects as in `digitRuns`).
   */
  readonly runsAfterNonWord: readonly DigitRun[];
  /**
   * The digit runs followed by a space, parenthesis, dot, hyphen, slash or no-break space (what joins
   * the digit groups of phone numbers, dates and dotted addresses), in order.
   */
  readonly runsBeforeSeparator: readonly DigitRun[];
  /** The digit runs of at least `digits` digits, in order (the same objects as in `digitRuns`). */
  runsOfAtLeast(digits: number): readonly DigitRun[];
  /** Default region for phone numbers (ISO 3166-1 alpha-2). */
  readonly defaultRegion: string;
}

/** One recognizer: a group of related entity types found by the same scan. */
export interface Recognizer {
  /** Short name, for tests and diagnostics. */
  readonly name: string;
  /** Entity types this recognizer can produce. */
  readonly types: readonly string[];
  /** Every regular expression this recognizer uses (checked for ReDoS by a test). */
  readonly patterns: readonly RegExp[];
  /**
   * What a text must hold for `find` to return anything: an ASCII digit (`hasDigit`) or a long number
   * (`hasLongNumber`). The detector skips the call for other texts; `find` checks it as well.
   */
  readonly needs?: 'digit' | 'long-number';
  find(input: ScanInput): PiiCandidate[];
}

/** Clamps a score into 0..1 and rounds it to two decimals so findings stay stable and readable. */
export function clampScore(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
}
