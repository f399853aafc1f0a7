import type { Severity } from '../../spec/severity.js';
import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextScore, contextWindow, hasAnyWord } from './context-words.js';
import { matchesInWindows, stickyMatchesAt, stickyMatchesInWindows } from './scan-input.js';

/** Options of `createPatternRecognizer`. */
export interface PatternRecognizerOptions {
  name: string;
  type: string;
  severity: Severity;
  /** Global regular expressions whose matches are candidates. */
  patterns: readonly RegExp[];
  /** Checksum or format validation of a match; return false to drop it. */
  validate?: (value: string) => boolean;
  /** Score without context. */
  base: number;
  /** Lowercase context words that raise the score. */
  positive: readonly string[];
  /** Added when a context word is near (default 0.3). */
  boost?: number;
  /** Drop matches without a context word nearby (formats without a checksum). */
  requireContext?: boolean;
  /** Characters before the value searched for context words (default 40). */
  before?: number;
  /** Skip the scan unless the text has a run of six digits (default true). */
  needsLongNumber?: boolean;
  /**
   * Without `needsLongNumber`: skip the scan unless the text holds a digit (for `anchors` taken from the
   * digit runs, which a text without digits does not have).
   */
  needsDigit?: boolean;
  /**
   * With `needsLongNumber`: the fewest digits of a match, all joined by at most one space, dot, slash or
   * hyphen each, so only windows meeting such a chain are scanned (default 6, every window).
   */
  minDigits?: number;
  /**
   * With `needsLongNumber`: positions (ascending, without repeats) where every match of every pattern
   * in a window's text begins. The sticky twins of the patterns are then tried there, inside the windows,
   * instead of scanning the windows; each recognizer says why its positions hold.
   */
  windowAnchors?: (input: ScanInput) => number[];
  /** With `windowAnchors`: also try each window's first character when it is a digit. */
  windowAnchorsAtWindowStarts?: boolean;
  /** Other regular expressions the recognizer uses (listed for the ReDoS test, not scanned). */
  helperPatterns?: readonly RegExp[];
  /**
   * Positions where a value can start, for sticky patterns: matches are tried only there instead of
   * scanning the text (e.g. a fixed offset before each digit run).
   */
  anchors?: (input: ScanInput) => number[];
  /**
   * Extra test of the whole text; nothing is found when it returns false. It runs only once a match
   * has passed validation, so texts without any such match skip it.
   */
  prefilter?: (text: string) => boolean;
}

/** The anchors in ascending order without repeats; most lists already are, and are returned as they are. */
function ascendingUnique(anchors: number[]): number[] {
  for (let index = 1; index < anchors.length; index += 1) {
    if (anchors[index]! <= anchors[index - 1]!) return [...new Set(anchors)].sort((a, b) => a - b);
  }
  return anchors;
}

/** A recognizer for a fixed format: patterns, validation, context words. */
export function createPatternRecognizer(options: PatternRecognizerOptions): Recognizer {
  const ruleId = `pii.${options.type.toLowerCase().replace(/_/g, '-')}`;
  // Sticky twins of the global patterns, for `windowAnchors`.
  const sticky = new Map(
    options.windowAnchors === undefined
      ? []
      : options.patterns.map((pattern) => [pattern, new RegExp(pattern.source, 'y')] as const),
  );
  return {
    name: options.name,
    types: [options.type],
    needs: (options.needsLongNumber ?? true) ? 'long-number' : options.needsDigit ? 'digit' : undefined,
    patterns: [...options.patterns, ...sticky.values(), ...(options.helperPatterns ?? [])],
    find(input: ScanInput): PiiCandidate[] {
      if ((options.needsLongNumber ?? true) && !input.hasLongNumber) return [];
      if (options.needsDigit && !input.hasDigit) return [];
      const windows =
        (options.needsLongNumber ?? true)
          ? input.longNumberWindowsWith(options.minDigits ?? 6)
          : [{ start: 0, end: input.text.length }];
      // No window holds a long enough chain (common for the longer identifiers): nothing can match, and
      // the anchors need not be gathered.
      if (windows.length === 0) return [];
      const { text } = input;
      const found: PiiCandidate[] = [];
      // The prefilter answers for the whole text, so asking it before the first validated match or
      // after it gives the same findings; most texts hold no such match and never pay for the search.
      let prefilterPassed = options.prefilter === undefined;
      const windowStarts =
        options.windowAnchors && !options.anchors ? options.windowAnchors(input) : undefined;
      for (const pattern of options.patterns) {
        const matches = windowStarts
          ? stickyMatchesInWindows({
              text,
              windows,
              pattern: sticky.get(pattern)!,
              starts: windowStarts,
              windowStarts: options.windowAnchorsAtWindowStarts ?? false,
            })
          : options.anchors
            ? stickyMatchesAt({
                text,
                pattern,
                starts: ascendingUnique(options.anchors(input)),
              })
            : matchesInWindows({ text, windows, pattern });
        for (const match of matches) {
          const value = match.value;
          const start = match.index;
          const end = start + value.length;
          if (options.validate && !options.validate(value)) continue;
          if (!prefilterPassed) {
            if (!options.prefilter!(text)) return [];
            prefilterPassed = true;
          }
          const before = options.before ?? 40;
          if (
            options.requireContext &&
            !hasAnyWord(contextWindow({ text, start, end, before }), options.positive)
          )
            continue;
          // Fields spelled out: an object spread costs far more than the context lookup itself.
          const score = contextScore({
            text,
            start,
            end,
            before,
            base: options.base,
            positive: options.positive,
            boost: options.boost ?? 0.3,
          });
          found.push({
            type: options.type,
            start,
            end,
            score: clampScore(score),
            severity: options.severity,
            ruleId,
          });
        }
      }
      return found;
    },
  };
}
