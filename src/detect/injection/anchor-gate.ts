import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import {
  addHit,
  createPhraseMatcher,
  isSpace,
  type PhraseAnchor,
  type PlanHits,
  phraseKey,
} from './phrase-anchors.js';
import type { InjectionRule } from './rule.js';
import { createEvidenceScanner, isScannedSubstring, type TextEvidence } from './text-evidence.js';

const WORD_ANCHOR = /^[a-z]+$/;
/** A required word: what the index pass looks up (`MAX_WORD_LENGTH`). */
const REQUIRED_WORD = /^[a-z]{1,24}$/;
/** Lowercase ASCII words separated by single spaces: a phrase anchor. */
const PHRASE_ANCHOR = /^[a-z]+(?: [a-z]+)+$/;
/** A prefix word of a rule (`InjectionRule.prefixes`). */
const PREFIX_WORD = /^[a-z]{4,24}$/;
/**
 * Shortest prefix word the index pass looks up: it then checks only letter runs of six letters or more,
 * which keeps the check off most words of a text. A four-letter one is looked up as its 26 extensions by
 * one letter, each both a word and a prefix word (`expandPrefix`).
 */
const SCANNED_PREFIX = 5;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Two letters each before a dot ("a.i."): found in any case by the index pass. */
const DOTTED_PAIR = /^[a-z]\.[a-z]\.$/;
const NON_ASCII = /[^\x00-\x7f]/;
const WIDE = /[^\x00-\xff]/;
/** Above this share of the text, windows are dropped and the rule scans the whole text. */
const WHOLE_TEXT_SHARE = 0.5;

/** Where a rule should run: the whole text, or windows `[start, end)` around its anchors. */
export type RuleRegion = 'all' | readonly (readonly [number, number])[];

/** A rule worth running on a text, with the region to run it on. */
export interface SelectedRule {
  readonly rule: InjectionRule;
  readonly region: RuleRegion;
}

/**
 * What one pass over a text found: the words some rule or keyword list cares about with their positions,
 * the substring anchors, and the evidence the decoders use (see `text-evidence.ts`).
 */
export type TextIndex = TextEvidence;

/** Decides which rules can match a text, and where, from the anchors the text contains. */
export interface AnchorGate {
  /**
   * Indexes the anchors of a text (words, also the `extraWords`, whose flags it reports, and substrings) in one
   * pass over its char codes.
   */
  index(text: string): TextIndex;
  /** Rules worth running on `text`, in their original order, with their regions. */
  select(text: string, index: TextIndex): SelectedRule[];
}

/**
 * Builds the gate for a rule list. Anchor words, the word pairs of phrase anchors, ASCII punctuation
 * anchors such as `<|` and anchors that start with a non-ASCII char (CJK, Cyrillic) are found by one
 * linear pass over char codes (`text-evidence.ts`, no regex); the few others (an accented word after an
 * ASCII letter) case-sensitively with `indexOf`, only when that pass saw non-ASCII characters. Each rule
 * then runs only on windows around its anchors, which is what keeps a hundred alternation-heavy patterns
 * fast on long benign texts. Rules anchored to line starts (`^`) always run on the whole text, since a
 * window would invent line starts.
 */
export function createAnchorGate(
  rules: readonly InjectionRule[],
  extraWords: ReadonlyMap<string, number> = new Map(),
): AnchorGate {
  const vocabulary = new Set<string>(extraWords.keys());
  const scannedSubstrings = new Set<string>();
  const prefixWords = new Set<string>();
  const caseless = new Set<string>();
  const dottedPairs = new Set<string>();
  for (const rule of rules) {
    for (const anchor of rule.anchors) {
      const folded = caselessKey(rule, anchor);
      if (WORD_ANCHOR.test(anchor)) vocabulary.add(anchor);
      else if (PHRASE_ANCHOR.test(anchor)) {
        // Found by word pairs (`createPhraseMatcher`), not by the key word alone.
      } else if (DOTTED_PAIR.test(anchor)) dottedPairs.add(pairKey(anchor));
      else if (folded !== undefined) {
        scannedSubstrings.add(folded);
        caseless.add(folded);
      } else if (isScannedSubstring(anchor)) scannedSubstrings.add(anchor);
    }
    for (const words of rule.requires ?? []) {
      const unsupported = words.length === 0 ? '(none)' : words.find((word) => !REQUIRED_WORD.test(word));
      if (unsupported !== undefined) {
        throw new AegisError(
          ERROR_CODES.INVALID_ARGUMENT,
          `anchor gate: rule ${rule.id} requires ${unsupported}, not a lowercase ASCII word of 1-24 letters`,
        );
      }
      for (const word of words) vocabulary.add(word);
    }
    for (const word of rule.prefixes ?? []) {
      if (!PREFIX_WORD.test(word)) {
        throw new AegisError(
          ERROR_CODES.INVALID_ARGUMENT,
          `anchor gate: rule ${rule.id} has prefix ${word}, not a lowercase ASCII word of 4-24 letters`,
        );
      }
      const expanded = expandPrefix(word);
      for (const scanned of expanded.prefixes) prefixWords.add(scanned);
      for (const whole of expanded.words) vocabulary.add(whole);
    }
  }
  // Phrases by their text: a phrase listed by several rules is one phrase with their plans.
  const phrasesByText = new Map<string, PhraseAnchor & { plans: number[] }>();
  rules.forEach((rule, planIndex) => {
    for (const anchor of rule.anchors) {
      if (!PHRASE_ANCHOR.test(anchor)) continue;
      const known = phrasesByText.get(anchor);
      if (known) known.plans.push(planIndex);
      else {
        const words = anchor.split(' ');
        phrasesByText.set(anchor, { words, key: phraseKey(words).index, plans: [planIndex] });
      }
    }
  });
  const phrases = createPhraseMatcher([...phrasesByText.values()]);
  const scanner = createEvidenceScanner({
    vocabulary,
    wordPairs: phrases.pairs,
    substrings: [...scannedSubstrings],
    flags: extraWords,
    prefixes: prefixWords,
    caseless,
    dottedPairs,
  });
  const wholeText = new Set(
    rules.filter((rule) => rule.pattern.source.includes('(?:^|')).map((rule) => rule.id),
  );
  // Required word sets by id (equal sets share one), and the ids of the sets each word belongs to.
  const setIds = new Map<string, number>();
  const setsByWord = new Map<string, number[]>();
  const plans = rules.map((rule) => ({
    rule,
    wholeText: wholeText.has(rule.id),
    lineWindows: wholeText.has(rule.id) && startsAtLines(rule),
    alwaysRun: rule.anchors.length === 0,
    requiredSets: (rule.requires ?? []).map((words) => {
      const key = [...new Set(words)].sort().join(' ');
      let id = setIds.get(key);
      if (id === undefined) {
        id = setIds.size;
        setIds.set(key, id);
        for (const word of new Set(words)) {
          const list = setsByWord.get(word);
          if (list) list.push(id);
          else setsByWord.set(word, [id]);
        }
      }
      return id;
    }),
  }));
  // Inverted index: anchor → plans that list it, so a text costs work only for the anchors it contains.
  const plansByWord = new Map<string, number[]>();
  /** Substrings the index pass finds (see `isScannedSubstring`): most non-ASCII anchors are among them. */
  const plansBySubstring = new Map<string, number[]>();
  /** Other ASCII substrings (starting with a letter): searched with `indexOf`. */
  const plansBySearched = new Map<string, number[]>();
  /** Other anchors within Latin-1 (accented Latin after a letter), searched when the text has non-ASCII. */
  const plansByForeign = new Map<string, number[]>();
  /** Other anchors with a char beyond Latin-1, searched only when the text has one. */
  const plansByWide = new Map<string, number[]>();
  /** Prefix words (`InjectionRule.prefixes`) → plans that list them. */
  const plansByPrefix = new Map<string, number[]>();
  /** Dotted pairs ("a.i." as "ai") → plans that list them. */
  const plansByPair = new Map<string, number[]>();
  rules.forEach((rule, planIndex) => {
    for (const word of new Set(rule.prefixes ?? [])) {
      const expanded = expandPrefix(word);
      for (const scanned of expanded.prefixes) {
        const list = plansByPrefix.get(scanned);
        if (list) list.push(planIndex);
        else plansByPrefix.set(scanned, [planIndex]);
      }
      for (const whole of expanded.words) {
        const list = plansByWord.get(whole);
        if (list) list.push(planIndex);
        else plansByWord.set(whole, [planIndex]);
      }
    }
    for (const anchor of rule.anchors) {
      if (PHRASE_ANCHOR.test(anchor)) continue;
      if (DOTTED_PAIR.test(anchor)) {
        const key = pairKey(anchor);
        const list = plansByPair.get(key);
        if (list) list.push(planIndex);
        else plansByPair.set(key, [planIndex]);
        continue;
      }
      const folded = WORD_ANCHOR.test(anchor) ? undefined : caselessKey(rule, anchor);
      if (folded !== undefined) {
        const list = plansBySubstring.get(folded);
        if (list) list.push(planIndex);
        else plansBySubstring.set(folded, [planIndex]);
        continue;
      }
      const target = WORD_ANCHOR.test(anchor)
        ? plansByWord
        : isScannedSubstring(anchor)
          ? plansBySubstring
          : WIDE.test(anchor)
            ? plansByWide
            : NON_ASCII.test(anchor)
              ? plansByForeign
              : plansBySearched;
      const list = target.get(anchor);
      if (list) list.push(planIndex);
      else target.set(anchor, [planIndex]);
    }
  });

  const alwaysRun = plans.some((plan) => plan.alwaysRun);
  const allPlanIndexes = plans.map((_, planIndex) => planIndex);
  const reusedHits: PlanHits = { lists: new Array(plans.length).fill(undefined), touched: [] };
  /** By set id: 1 when the text being selected for holds a word of the set. */
  const metSets = new Uint8Array(setIds.size);

  return {
    index(text) {
      return scanner.scan(text);
    },
    select(text, index) {
      // Plain loops and module functions: this runs for every scanned text, and closures made per call
      // cost an allocation each (and a naming call under some loaders).
      // One hit table per gate, emptied first (select is done with it before any nested scan starts).
      const hits = reusedHits;
      for (const planIndex of hits.touched) hits.lists[planIndex] = undefined;
      hits.touched.length = 0;
      metSets.fill(0);
      for (const [word, positions] of index.words) {
        const planIndexes = plansByWord.get(word);
        if (planIndexes) addHits(hits, planIndexes, positions);
        const sets = setsByWord.get(word);
        if (sets) for (const id of sets) metSets[id] = 1;
      }
      for (const [pair, positions] of index.wordPairs) phrases.match(text, pair, positions, hits);
      // Longer letter runs that start with a prefix word: anchors of rules whose matches may end inside one.
      for (const [word, positions] of index.prefixes) {
        const planIndexes = plansByPrefix.get(word);
        if (planIndexes) addHits(hits, planIndexes, positions);
      }
      for (const [pair, positions] of index.dottedPairs) {
        const planIndexes = plansByPair.get(pair);
        if (planIndexes) addHits(hits, planIndexes, positions);
      }
      // Substrings found by the index pass (the same non-overlapping occurrences as `indexOf`).
      for (const [anchor, positions] of index.substrings) {
        const planIndexes = plansBySubstring.get(anchor);
        if (planIndexes) addHits(hits, planIndexes, positions);
      }
      if (plansBySearched.size > 0) searchSubstrings(text, plansBySearched, hits);
      if (plansByForeign.size > 0 && index.nonAscii) searchSubstrings(text, plansByForeign, hits);
      if (plansByWide.size > 0 && index.wide) searchSubstrings(text, plansByWide, hits);
      const selected: SelectedRule[] = [];
      // Plans in their original order: the touched ones sorted in place (few, and a sort with a comparator
      // call per step costs more), or all when some always run.
      const order = alwaysRun ? allPlanIndexes : sortNumbers(hits.touched);
      for (const planIndex of order) {
        const plan = plans[planIndex]!;
        const planHits = hits.lists[planIndex];
        if (planHits === undefined) {
          if (plan.alwaysRun && meetsRequirements(plan.requiredSets, metSets)) {
            selected.push({ rule: plan.rule, region: 'all' });
          }
          continue;
        }
        const region = plan.lineWindows
          ? lineWindowsAround(text, planHits, plan.rule.reach)
          : plan.wholeText
            ? 'all'
            : windowsAround(text, planHits, plan.rule.reach);
        // On the whole text every match is a match of the text itself, which holds a word of each
        // required set; windows are left alone (a window cut may end a word the text continues).
        if (region === 'all' && !meetsRequirements(plan.requiredSets, metSets)) continue;
        selected.push({ rule: plan.rule, region });
      }
      return selected;
    },
  };
}

/**
 * What the index pass looks up for a prefix word: the word itself as a prefix, or, for a shorter one, its
 * extensions by one letter as words (a run one letter longer) and as prefixes (longer runs): together the
 * same letter runs, those longer than the word that start with it.
 */
function expandPrefix(word: string): { prefixes: readonly string[]; words: readonly string[] } {
  if (word.length >= SCANNED_PREFIX) return { prefixes: [word], words: [] };
  const extended = [...LETTERS].map((letter) => `${word}${letter}`);
  return { prefixes: extended, words: extended };
}

/** The two letters of a dotted pair anchor: "a.i." → "ai". */
function pairKey(anchor: string): string {
  return `${anchor[0]}${anchor[2]}`;
}

/**
 * The key under which a non-ASCII anchor of a rule that ignores case is found in any case: the anchor from
 * its first non-ASCII char on, lowercased ("règles" → "ègles", "ИГНОР" → "игнор"), so the index pass
 * finds it starting at that char. A match holding the anchor holds the key within the anchor's span, so
 * windows around the key's position still cover the match. Undefined when case does not matter (a rule
 * without the `i` flag, or no cased char in that part, as in CJK anchors).
 */
function caselessKey(rule: InjectionRule, anchor: string): string | undefined {
  if (!rule.pattern.ignoreCase || PHRASE_ANCHOR.test(anchor)) return undefined;
  const first = anchor.search(NON_ASCII);
  if (first < 0) return undefined;
  const key = anchor.slice(first).toLowerCase();
  return key.toUpperCase() === key ? undefined : key;
}

/** True when the text holds a word of each set a rule requires (see `InjectionRule.requires`). */
function meetsRequirements(requiredSets: readonly number[], metSets: Uint8Array): boolean {
  for (const id of requiredSets) if (metSets[id] === 0) return false;
  return true;
}

/** Longest list sorted by insertion (quadratic: long hit lists of hostile texts take the built-in sort). */
const MAX_INSERTION_SORT = 16;

function byNumber(left: number, right: number): number {
  return left - right;
}

/** Sorts `numbers` in place, ascending, by insertion: the touched plans of a text are few. */
function sortNumbers(numbers: number[]): number[] {
  for (let index = 1; index < numbers.length; index++) {
    const value = numbers[index]!;
    let position = index;
    while (position > 0 && numbers[position - 1]! > value) {
      numbers[position] = numbers[position - 1]!;
      position--;
    }
    numbers[position] = value;
  }
  return numbers;
}

function addHits(hits: PlanHits, plans: readonly number[], positions: readonly number[]): void {
  for (const position of positions) addHit(hits, plans, position);
}

/** Adds the non-overlapping occurrences of each anchor (found with `indexOf`) to the plans that list it. */
function searchSubstrings(text: string, plansByAnchor: ReadonlyMap<string, number[]>, hits: PlanHits): void {
  for (const [anchor, planIndexes] of plansByAnchor) {
    for (let at = text.indexOf(anchor); at >= 0; at = text.indexOf(anchor, at + anchor.length))
      addHit(hits, planIndexes, at);
  }
}

/**
 * True for a rule whose only line anchor opens it, `(?:^|\n) ?` before a `#` or a word, without the `m`
 * flag: a window that starts at a line break (or the text start) finds the same matches as the whole text.
 * At a window start on a line break `^` also holds, but what follows it must be a space, `#` or a letter,
 * not the line break, so only the `\n` branch can match there, as in the whole text.
 */
export function startsAtLines(rule: InjectionRule): boolean {
  const source = rule.pattern.source;
  return (
    !rule.pattern.multiline &&
    !rule.pattern.sticky &&
    /^\(\?:\^\|\\n\) \?(?:#|\(\?:[a-z])/.test(source) &&
    // No other `^` outside a negated class (`[^\n]`), and no lookbehind that could see before the window.
    !/(?<!\[)\^/.test(source.slice(5)) &&
    !source.includes('(?<')
  );
}

/**
 * Sorts `hits` in place for a walk that builds windows of `reach` around them; false when those windows
 * would cover the text anyway (a text no longer than the reach is covered by the window of any one hit).
 */
function sortHitsForWindows(text: string, hits: number[], reach: number): boolean {
  if (text.length <= reach || hits.length * 2 * reach > text.length * 4) return false;
  if (hits.length <= MAX_INSERTION_SORT) sortNumbers(hits);
  else hits.sort(byNumber);
  return true;
}

/**
 * Windows of `reach` around each hit for a rule that opens at a line start (`startsAtLines`): each starts
 * at the line break before it (or the text start), and a window that would reach back into the one before
 * is merged with it, so windows never overlap and no match is found twice. The walk back stops at the end
 * of the window before, so it stays linear in the text.
 */
export function lineWindowsAround(text: string, hits: number[], reach: number): RuleRegion {
  if (!sortHitsForWindows(text, hits, reach)) return 'all';
  const windows: [number, number][] = [];
  let covered = 0;
  for (const hit of hits) {
    let start = Math.max(0, hit - reach);
    const end = Math.min(text.length, hit + reach);
    const last = windows[windows.length - 1];
    const floor = last ? last[1] : 0;
    while (start > floor && text.charCodeAt(start) !== 10) start--;
    if (last && start <= last[1]) {
      covered += end - last[1];
      last[1] = end;
      continue;
    }
    windows.push([start, end]);
    covered += end - start;
  }
  return covered > text.length * WHOLE_TEXT_SHARE ? 'all' : windows;
}

/** Merged windows of `reach` around each hit, widened to whitespace so `\b` stays truthful. */
export function windowsAround(text: string, hits: number[], reach: number): RuleRegion {
  if (!sortHitsForWindows(text, hits, reach)) return 'all';
  const windows: [number, number][] = [];
  let covered = 0;
  for (const hit of hits) {
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
  return covered > text.length * WHOLE_TEXT_SHARE ? 'all' : windows;
}
