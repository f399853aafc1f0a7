/**
 * Context words near a value move its confidence: "SSN:" before nine digits makes them an SSN, while
 * "example" or "test" nearby suggests documentation or fixtures. The window is small and measured in
 * characters so the lookup stays constant-time per candidate.
 */

/** Words that, near any value, suggest it is a placeholder or sample rather than real data. */
export const NEGATIVE_CONTEXT_WORDS: readonly string[] = [
  'example',
  'sample',
  'test',
  'dummy',
  'fake',
  'placeholder',
  'lorem',
];

/** Options of `contextScore`. */
export interface ContextScoreOptions {
  text: string;
  start: number;
  end: number;
  /** Score without context. */
  base: number;
  /** Lowercase words that raise confidence when found in the window. */
  positive: readonly string[];
  /** Added when a positive word is found. */
  boost: number;
  /** Subtracted when a negative word is found (default 0.2). */
  penalty?: number;
  /** Characters looked at before the value (default 40). */
  before?: number;
  /** Characters looked at after the value (default 20). */
  after?: number;
}

/** The lowercase text in a window around a span (the span itself excluded). */
export function contextWindow(options: {
  text: string;
  start: number;
  end: number;
  before?: number;
  after?: number;
}): string {
  const { text, start, end } = options;
  const left = text.slice(Math.max(0, start - (options.before ?? 40)), start);
  const right = text.slice(end, Math.min(text.length, end + (options.after ?? 20)));
  return `${left} ${right}`.toLowerCase();
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

/**
 * True when any of `words` occurs in `window` as a whole word (so `tin` does not match `meeting`).
 * A word may end in punctuation such as `dob:`; only letters and digits count as word characters.
 *
 * Windows are mostly ASCII, where the word characters are exactly `[A-Za-z0-9]`: there one pattern per
 * list (the words as literal alternatives between two single-character lookarounds) answers in one
 * native pass, instead of one substring search per word. The alternation backtracks into every word at
 * every position, so it matches exactly when some word occurs with no word character on either side.
 * Windows with a non-ASCII character, where the Unicode classes apply to single UTF-16 units, and lists
 * with an empty word take `hasAnyWordSlowly`.
 */
export function hasAnyWord(window: string, words: readonly string[]): boolean {
  const pattern = wordListPattern(words);
  if (pattern === undefined || NON_ASCII.test(window)) return hasAnyWordSlowly(window, words);
  return pattern.test(window);
}

const NON_ASCII = /[^\x00-\x7f]/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

// Lists are module constants, so each is compiled once.
const WORD_LIST_PATTERNS = new WeakMap<readonly string[], RegExp | null>();

/**
 * The whole-word pattern of a list for ASCII windows (no quantifiers: linear in the window), or
 * undefined for a list with an empty word.
 */
export function wordListPattern(words: readonly string[]): RegExp | undefined {
  let pattern = WORD_LIST_PATTERNS.get(words);
  if (pattern === undefined) {
    pattern = words.some((word) => word.length === 0)
      ? null
      : new RegExp(
          `(?<![A-Za-z0-9])(?:${words.map((word) => word.replace(REGEX_SPECIAL, '\\$&')).join('|')})(?![A-Za-z0-9])`,
        );
    WORD_LIST_PATTERNS.set(words, pattern);
  }
  return pattern ?? undefined;
}

/** `hasAnyWord` by one substring search per word (the specification, and the path for non-ASCII windows). */
export function hasAnyWordSlowly(window: string, words: readonly string[]): boolean {
  for (const word of words) {
    let index = window.indexOf(word);
    while (index >= 0) {
      if (!isWordChar(window[index - 1]) && !isWordChar(window[index + word.length])) return true;
      index = window.indexOf(word, index + 1);
    }
  }
  return false;
}

/** The base score moved up by positive context and down by negative context. */
export function contextScore(options: ContextScoreOptions): number {
  const window = contextWindow(options);
  return scoreInWindow({
    window,
    base: options.base,
    positiveFound: hasAnyWord(window, options.positive),
    boost: options.boost,
    penalty: options.penalty,
  });
}

/**
 * `contextScore` over a window already cut, for callers that have also looked for the positive words
 * in it (so the window is cut and searched once).
 */
export function scoreInWindow(options: {
  window: string;
  base: number;
  positiveFound: boolean;
  boost: number;
  penalty?: number;
}): number {
  let score = options.base;
  if (options.positiveFound) score += options.boost;
  if (hasAnyWord(options.window, NEGATIVE_CONTEXT_WORDS)) score -= options.penalty ?? 0.2;
  return score;
}
