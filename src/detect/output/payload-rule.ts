import { includesLiteral } from '../find-literal.js';
import { isWhitespace } from '../is-whitespace.js';
import { createHintScanner, type HintScan, needsLowerCase } from './hint-scan.js';
import { lineEndWithin } from './line-end-within.js';
import { type OutputMatch, severityForScore, snippet } from './output-match.js';

/**
 * A payload meant for a downstream system (SQL, shell). `pattern` is a cheap, bounded anchor; `confirm`
 * looks around the match in code when a regex alone would need ambiguous quantifiers, and returns the
 * danger score or undefined to drop the match.
 */
export interface PayloadRule {
  id: string;
  type: 'SQL_INJECTION' | 'SHELL_INJECTION' | 'SHELL_EXFILTRATION';
  /** Written without flags; run case-insensitively over the whole text. */
  pattern: RegExp;
  score: number;
  /** Lower-case literals of which at least one must occur for the rule to run at all (a cheap prefilter). */
  hints?: readonly string[];
  /**
   * Punctuation of which at least one character occurs in every match of `pattern` (each alternative
   * needs one). Checked before `hints`: a search for a rare character is much cheaper than one for a
   * word whose first letter is common, and without it the pattern cannot match.
   */
  requires?: readonly string[];
  /**
   * Lower-case words (two or more characters) of which at least one must occur right before whitespace
   * (`\s`) in the lower-cased text, checked after `hints`.
   */
  spaceAfter?: readonly string[];
  /** A last cheap test on the lower-cased text (after the checks above); false skips the rule. */
  prefilter?: (lower: string) => boolean;
  /**
   * A last cheap test on the text itself (after all the checks above, so it runs only on the few texts
   * they let through); false skips the rule. For tests on characters without case, where `prefilter`
   * would lower-case the whole text first.
   */
  textFilter?: (text: string) => boolean;
  /**
   * Where a match can begin, for patterns that begin with a character common in code (quotes, backticks):
   * `createPayloadRunner` then tries the pattern only there instead of searching the whole text.
   */
  starts?: MatchStarts;
  confirm?: (context: {
    text: string;
    start: number;
    end: number;
    match: RegExpExecArray;
  }) => number | undefined;
}

/** The characters every match of a pattern begins with, and a cheap test of what follows one. */
export interface MatchStarts {
  /** Single characters, one of which begins every match (listed in every case the pattern accepts). */
  characters: readonly string[];
  /**
   * False only where no match can begin at `index` (a position holding one of `characters`): a necessary
   * condition read from the pattern, so skipping such positions changes no match.
   */
  fits(text: string, index: number): boolean;
}

/**
 * The line around `index`, bounded to 1000 characters each way. The line breaks are looked for only
 * inside those bounds (a break outside them never moved them), so many matches on one long line stay
 * linear in its length.
 */
export function lineAround(text: string, index: number): { line: string; lineStart: number } {
  const from = Math.max(0, index - 1000);
  // As `lastIndexOf('\n', index - 1)`, which looks at position 0 even for index 0 (a negative start
  // counts as 0), restricted to `from` and after.
  const backFrom = Math.max(0, index - 1);
  const previousBreak = text.slice(from, backFrom + 1).lastIndexOf('\n');
  const lineStart = previousBreak === -1 ? from : from + previousBreak + 1;
  return { line: text.slice(lineStart, lineEndWithin(text, index, 1000)), lineStart };
}

// Letters from most to least frequent in English prose; other characters count as rarer than all of them.
const LETTER_FREQUENCY = 'etaoinshrdlcumwfgypbvkjxqz';

/** The suffix of `word` that starts at its rarest character (ties: the earliest). */
function rareTail(word: string): string {
  let best = 0;
  let bestRank = -1;
  for (let index = 0; index < word.length; index++) {
    const found = LETTER_FREQUENCY.indexOf(word[index]!);
    const rank = found === -1 ? LETTER_FREQUENCY.length : found;
    if (rank > bestRank) {
      best = index;
      bestRank = rank;
    }
  }
  return word.slice(best);
}

const TAILS = new Map<string, string>();

/**
 * `text.includes(word)`, searched by the suffix that starts at the word's rarest character: a substring
 * search stops at every occurrence of its first character, so "powershell" is looked for as "wershell"
 * and "iex" as "x". Every occurrence of the word holds the suffix at the same offset, so the answer is
 * the same.
 */
export function includesByRareTail(text: string, word: string): boolean {
  let tail = TAILS.get(word);
  if (tail === undefined) {
    // A one-character tail of a two-character word stops as often as the word would: search it whole.
    tail = word.length <= 2 ? word : rareTail(word);
    TAILS.set(word, tail);
  }
  if (tail.length === word.length) return text.includes(word);
  return includesLiteral(text, word, tail);
}

/** The index after at most four whitespace characters (`\s{0,4}`, taken greedily) from `index`. */
export function skipUpToFourSpaces(text: string, index: number): number {
  let at = index;
  while (at < index + 4 && isWhitespace(text.charCodeAt(at))) at++;
  return at;
}

/** True when `word` occurs in `text` right before a whitespace character (`\s`). */
export function followedBySpace(text: string, word: string): boolean {
  let at = text.indexOf(word);
  while (at >= 0) {
    if (isWhitespace(text.charCodeAt(at + word.length))) return true;
    at = text.indexOf(word, at + 1);
  }
  return false;
}

/** Each rule's pattern compiled once with `gi` (patterns are written without flags). */
const GLOBAL_PATTERNS = new WeakMap<PayloadRule, RegExp>();

function globalPattern(rule: PayloadRule): RegExp {
  let pattern = GLOBAL_PATTERNS.get(rule);
  if (pattern === undefined) {
    pattern = new RegExp(rule.pattern.source, 'gi');
    GLOBAL_PATTERNS.set(rule, pattern);
  }
  return pattern;
}

/** Texts longer than this search hints by their rarest character (see `includesByRareTail`). */
const LONG_TEXT = 2048;

/** Adds the match of `rule` at `match` to `found` when `confirm` (if any) gives it a score. */
function report(options: {
  rule: PayloadRule;
  text: string;
  match: RegExpExecArray;
  found: OutputMatch[];
}): void {
  const { rule, text, match, found } = options;
  const start = match.index;
  const end = start + match[0].length;
  const score = rule.confirm ? rule.confirm({ text, start, end, match }) : rule.score;
  if (score === undefined) return;
  found.push({
    ruleId: rule.id,
    type: rule.type,
    category: 'improper-output',
    score,
    severity: severityForScore(score),
    start,
    end,
    evidence: snippet(text, start, end),
  });
}

/** Runs one rule's pattern over `text` (its prefilters passed) and adds what it confirms to `found`. */
function runRule(rule: PayloadRule, text: string, found: OutputMatch[]): void {
  // One compiled pattern per rule, reused; `lastIndex` is reset before each text. Empty matches advance
  // by one, as `matchAll` does.
  const pattern = globalPattern(rule);
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0].length === 0) pattern.lastIndex += 1;
    report({ rule, text, match, found });
  }
}

/** Each rule's pattern compiled once with `iy`, for `runRuleAtStarts`. */
const STICKY_PATTERNS = new WeakMap<PayloadRule, RegExp>();

function stickyPattern(rule: PayloadRule): RegExp {
  let pattern = STICKY_PATTERNS.get(rule);
  if (pattern === undefined) {
    pattern = new RegExp(rule.pattern.source, 'iy');
    STICKY_PATTERNS.set(rule, pattern);
  }
  return pattern;
}

/**
 * `runRule` for a rule with `starts`: the pattern is tried, sticky, only at the positions of the start
 * characters that `fits` allows, in text order. A global search finds the first position from its
 * `lastIndex` where the pattern matches and matches there as the sticky pattern does; no match begins
 * elsewhere, so trying the allowed positions in order and going on from each match's end finds the same
 * matches. On code full of quotes and backticks this skips most of the work of a whole-text search.
 */
function runRuleAtStarts(options: {
  rule: PayloadRule;
  starts: MatchStarts;
  text: string;
  found: OutputMatch[];
}): void {
  const { rule, starts, text, found } = options;
  const pattern = stickyPattern(rule);
  const { characters } = starts;
  // The next position of each start character, -1 once it occurs no more.
  const next = characters.map((character) => text.indexOf(character));
  // Matches do not overlap: the search goes on from the end of the last one.
  let from = 0;
  for (;;) {
    let which = -1;
    for (let index = 0; index < next.length; index++) {
      const position = next[index]!;
      if (position >= 0 && (which === -1 || position < next[which]!)) which = index;
    }
    if (which === -1) return;
    const start = next[which]!;
    next[which] = text.indexOf(characters[which]!, start + 1);
    if (start < from || !starts.fits(text, start)) continue;
    pattern.lastIndex = start;
    const match = pattern.exec(text);
    if (match === null) continue;
    from = start + Math.max(match[0].length, 1);
    report({ rule, text, match, found });
  }
}

/**
 * Runs payload rules over a text, testing each rule's hints with its own searches of the lower-cased
 * text. `createPayloadRunner` finds the same matches faster; this is the path it is checked against, and
 * the one it takes for the rare texts whose lower-casing is not position by position.
 */
export function runPayloadRules(text: string, rules: readonly PayloadRule[]): OutputMatch[] {
  const found: OutputMatch[] = [];
  const lower = text.toLowerCase();
  // The rare-tail search pays off on long texts; on a chat message a plain search is cheaper.
  const long = text.length > LONG_TEXT;
  const inLower = (hint: string): boolean => (long ? includesByRareTail(lower, hint) : lower.includes(hint));
  for (const rule of rules) {
    // Punctuation is the same in `text` and `lower` (lower-casing changes letters only).
    if (rule.requires && !rule.requires.some((character) => text.includes(character))) continue;
    if (rule.hints && !rule.hints.some(inLower)) continue;
    if (rule.spaceAfter && !rule.spaceAfter.some((word) => followedBySpace(lower, word))) continue;
    if (rule.prefilter && !rule.prefilter(lower)) continue;
    if (rule.textFilter && !rule.textFilter(text)) continue;
    runRule(rule, text, found);
  }
  return found;
}

/** Runs a fixed list of payload rules over texts. */
export interface PayloadRunner {
  run(text: string): OutputMatch[];
}

/**
 * Runs `rules` with every hint and `spaceAfter` word found in one pass (see hint-scan.ts): the same
 * matches as `runPayloadRules`, in the same order, for a fraction of the searches.
 */
export function createPayloadRunner(rules: readonly PayloadRule[]): PayloadRunner {
  const words: string[] = [];
  const indexOf = (word: string): number => {
    let index = words.indexOf(word);
    if (index === -1) index = words.push(word) - 1;
    return index;
  };
  // The `requires` characters of all rules, each searched at most once per text (several rules share
  // the quotes and `(`, and a search for an absent character reads the whole text).
  const characters: string[] = [];
  const characterIndex = (character: string): number => {
    let index = characters.indexOf(character);
    if (index === -1) index = characters.push(character) - 1;
    return index;
  };
  const compiled = rules.map((rule) => ({
    rule,
    requires: rule.requires?.map(characterIndex),
    hints: rule.hints?.map(indexOf),
    spaceAfter: rule.spaceAfter?.map(indexOf),
  }));
  const scanner = createHintScanner(words);
  // Per character of `characters`, for the text being run: not searched yet, present or absent.
  const presence = new Uint8Array(characters.length);
  const PRESENT = 1;
  const ABSENT = 2;

  // The rules' checks as loops over index lists, made once: closures made per text showed in the cost
  // of a check, which runs on every message.
  const anyRequired = (indexes: readonly number[], text: string): boolean => {
    for (const index of indexes) {
      if (presence[index] === 0) presence[index] = text.includes(characters[index]!) ? PRESENT : ABSENT;
      if (presence[index] === PRESENT) return true;
    }
    return false;
  };
  const anyHint = (indexes: readonly number[], hints: HintScan): boolean => {
    for (const index of indexes) if (scanner.has(hints, index)) return true;
    return false;
  };
  const anyBeforeSpace = (indexes: readonly number[], hints: HintScan): boolean => {
    for (const index of indexes) if (scanner.hasBeforeSpace(hints, index)) return true;
    return false;
  };

  return {
    run(text) {
      // Lower-casing these texts moves characters or turns non-ASCII into ASCII: search them as before.
      if (needsLowerCase(text)) return runPayloadRules(text, rules);
      const hints = scanner.scan(text);
      presence.fill(0);
      const found: OutputMatch[] = [];
      let lower: string | undefined;
      for (const entry of compiled) {
        const { rule } = entry;
        if (entry.requires && !anyRequired(entry.requires, text)) continue;
        if (entry.hints && !anyHint(entry.hints, hints)) continue;
        if (entry.spaceAfter && !anyBeforeSpace(entry.spaceAfter, hints)) continue;
        if (rule.prefilter) {
          lower ??= text.toLowerCase();
          if (!rule.prefilter(lower)) continue;
        }
        if (rule.textFilter && !rule.textFilter(text)) continue;
        if (rule.starts) runRuleAtStarts({ rule, starts: rule.starts, text, found });
        else runRule(rule, text, found);
      }
      return found;
    },
  };
}
