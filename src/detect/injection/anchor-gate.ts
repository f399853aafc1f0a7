import type { InjectionRule } from './rule.js';

const WORD_ANCHOR = /^[a-z]+$/;
/** Lowercase ASCII words separated by single spaces: a phrase anchor. */
const PHRASE_ANCHOR = /^[a-z]+(?: [a-z]+)+$/;
/** Characters that may separate the words of a phrase anchor in the text ("pre-prompt", "can't"). */
const MAX_PHRASE_GAP = 3;
const NON_ASCII = /[^\x00-\x7f]/;
const MAX_WORD_LENGTH = 24;
/** Above this share of the text, windows are dropped and the rule scans the whole text. */
const WHOLE_TEXT_SHARE = 0.5;

/** Where a rule should run: the whole text, or windows `[start, end)` around its anchors. */
export type RuleRegion = 'all' | readonly (readonly [number, number])[];

/** A rule worth running on a text, with the region to run it on. */
export interface SelectedRule {
  readonly rule: InjectionRule;
  readonly region: RuleRegion;
}

/** The words of one text that some rule or keyword list cares about, with their positions. */
export interface TextIndex {
  readonly words: ReadonlyMap<string, readonly number[]>;
}

/** Decides which rules can match a text, and where, from the anchors the text contains. */
export interface AnchorGate {
  /** Indexes the anchor words of a text (plus `extraWords`), in one pass over its char codes. */
  index(text: string): TextIndex;
  /** Rules worth running on `text`, in their original order, with their regions. */
  select(text: string, index: TextIndex): SelectedRule[];
}

function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/**
 * Builds the gate for a rule list. Anchor words are found by one linear pass over char codes (no regex);
 * other anchors (CJK, Cyrillic, punctuation such as `<|`) case-sensitively with `indexOf`, non-ASCII ones
 * only when the text has non-ASCII characters. Each rule then runs only on windows around its anchors,
 * which is what keeps a hundred alternation-heavy patterns fast on long benign texts. Rules anchored to
 * line starts (`^`) always run on the whole text, since a window would invent line starts.
 */
export function createAnchorGate(
  rules: readonly InjectionRule[],
  extraWords: readonly string[] = [],
): AnchorGate {
  const vocabulary = new Set<string>(extraWords);
  const asciiSubstrings = new Set<string>();
  const otherSubstrings = new Set<string>();
  for (const rule of rules) {
    for (const anchor of rule.anchors) {
      if (WORD_ANCHOR.test(anchor)) vocabulary.add(anchor);
      else if (PHRASE_ANCHOR.test(anchor)) vocabulary.add(phraseKey(anchor.split(' ')).word);
      else (NON_ASCII.test(anchor) ? otherSubstrings : asciiSubstrings).add(anchor);
    }
  }
  // First letter × length of every vocabulary word: most words of a text are skipped without slicing.
  const shapes = new Uint8Array(26 * (MAX_WORD_LENGTH + 1));
  for (const word of vocabulary) {
    if (word.length <= MAX_WORD_LENGTH)
      shapes[(word.charCodeAt(0) - 97) * (MAX_WORD_LENGTH + 1) + word.length] = 1;
  }
  const wholeText = new Set(
    rules.filter((rule) => rule.pattern.source.includes('(?:^|')).map((rule) => rule.id),
  );
  const plans = rules.map((rule) => ({ rule, wholeText: wholeText.has(rule.id) }));
  // Inverted index: anchor → plans that list it, so a text costs work only for the anchors it contains.
  const plansByWord = new Map<string, number[]>();
  const plansBySubstring = new Map<string, number[]>();
  const plansByForeign = new Map<string, number[]>();
  // Phrases grouped by their key word (the longest, the last among equals: usually the rarest).
  const phrasesByKey = new Map<string, { words: string[]; key: number; plans: number[] }[]>();
  const alwaysRun: number[] = [];
  rules.forEach((rule, planIndex) => {
    if (rule.anchors.length === 0) alwaysRun.push(planIndex);
    for (const anchor of rule.anchors) {
      if (PHRASE_ANCHOR.test(anchor)) {
        const words = anchor.split(' ');
        const { word, index } = phraseKey(words);
        const group = phrasesByKey.get(word) ?? [];
        const known = group.find((phrase) => phrase.words.join(' ') === anchor);
        if (known) known.plans.push(planIndex);
        else group.push({ words, key: index, plans: [planIndex] });
        phrasesByKey.set(word, group);
        continue;
      }
      const target = WORD_ANCHOR.test(anchor)
        ? plansByWord
        : NON_ASCII.test(anchor)
          ? plansByForeign
          : plansBySubstring;
      const list = target.get(anchor);
      if (list) list.push(planIndex);
      else target.set(anchor, [planIndex]);
    }
  });

  return {
    index(text) {
      const words = new Map<string, number[]>();
      let start = -1;
      for (let position = 0; position <= text.length; position++) {
        const code = position < text.length ? text.charCodeAt(position) : 0;
        if (isAsciiLetter(code)) {
          if (start < 0) start = position;
          continue;
        }
        if (start < 0) continue;
        const length = position - start;
        const first = text.charCodeAt(start) | 0x20;
        if (length <= MAX_WORD_LENGTH && shapes[(first - 97) * (MAX_WORD_LENGTH + 1) + length] === 1) {
          const word = text.slice(start, position).toLowerCase();
          if (vocabulary.has(word)) {
            const positions = words.get(word);
            if (positions) positions.push(start);
            else words.set(word, [start]);
          }
        }
        start = -1;
      }
      return { words };
    },
    select(text, index) {
      const hits: (number[] | undefined)[] = new Array(plans.length);
      const add = (planIndexes: readonly number[], positions: readonly number[]) => {
        for (const planIndex of planIndexes) {
          const list = hits[planIndex];
          if (list) for (const position of positions) list.push(position);
          else hits[planIndex] = [...positions];
        }
      };
      for (const [word, positions] of index.words) {
        const planIndexes = plansByWord.get(word);
        if (planIndexes) add(planIndexes, positions);
      }
      const addSubstrings = (map: ReadonlyMap<string, number[]>) => {
        for (const [anchor, planIndexes] of map) {
          let at = text.indexOf(anchor);
          if (at < 0) continue;
          const positions: number[] = [];
          for (; at >= 0; at = text.indexOf(anchor, at + anchor.length)) positions.push(at);
          add(planIndexes, positions);
        }
      };
      for (const [word, positions] of index.words) {
        const phrases = phrasesByKey.get(word);
        if (!phrases) continue;
        for (const phrase of phrases) {
          const found = positions.filter((position) => phraseAt(text, position, phrase.words, phrase.key));
          if (found.length > 0) add(phrase.plans, found);
        }
      }
      addSubstrings(plansBySubstring);
      if (plansByForeign.size > 0 && NON_ASCII.test(text)) addSubstrings(plansByForeign);
      const selected: SelectedRule[] = [];
      for (let planIndex = 0; planIndex < plans.length; planIndex++) {
        const plan = plans[planIndex]!;
        const planHits = hits[planIndex];
        if (planHits === undefined) {
          if (alwaysRun.includes(planIndex)) selected.push({ rule: plan.rule, region: 'all' });
          continue;
        }
        selected.push({
          rule: plan.rule,
          region: plan.wholeText ? 'all' : windowsAround(text, planHits, plan.rule.reach),
        });
      }
      return selected;
    },
  };
}

/** The key word of a phrase: the longest, the last among equals. */
function phraseKey(words: readonly string[]): { word: string; index: number } {
  let index = 0;
  words.forEach((word, position) => {
    if (word.length >= (words[index]?.length ?? 0)) index = position;
  });
  return { word: words[index] ?? '', index };
}

/**
 * True when the words of a phrase surround the key word found at `position`, separated by 1–3 spaces,
 * hyphens or apostrophes, each word bounded by non-letters.
 */
function phraseAt(text: string, position: number, words: readonly string[], key: number): boolean {
  let after = position + (words[key]?.length ?? 0);
  for (let wordIndex = key + 1; wordIndex < words.length; wordIndex++) {
    const word = words[wordIndex] ?? '';
    const start = skipSeparators(text, after, 1);
    if (start === after || !wordAt(text, start, word)) return false;
    after = start + word.length;
  }
  let before = position;
  for (let wordIndex = key - 1; wordIndex >= 0; wordIndex--) {
    const word = words[wordIndex] ?? '';
    const end = skipSeparators(text, before, -1);
    if (end === before || !wordAt(text, end - word.length, word)) return false;
    before = end - word.length;
  }
  return true;
}

/** Position after up to `MAX_PHRASE_GAP` separators from `from`, walking forward (1) or backward (-1). */
function skipSeparators(text: string, from: number, direction: 1 | -1): number {
  let position = from;
  for (let gap = 0; gap < MAX_PHRASE_GAP; gap++) {
    const code = text.charCodeAt(direction === 1 ? position : position - 1);
    if (!isSeparator(code)) break;
    position += direction;
  }
  return position;
}

/** True when `word` (lowercase) stands at `start` as a whole word, in any case. */
function wordAt(text: string, start: number, word: string): boolean {
  if (start < 0 || isAsciiLetter(text.charCodeAt(start - 1))) return false;
  for (let offset = 0; offset < word.length; offset++) {
    if ((text.charCodeAt(start + offset) | 0x20) !== word.charCodeAt(offset)) return false;
  }
  return !isAsciiLetter(text.charCodeAt(start + word.length));
}

function isSeparator(code: number): boolean {
  return isSpace(code) || code === 45 || code === 39 || code === 0x2019;
}

/** Merged windows of `reach` around each hit, widened to whitespace so `\b` stays truthful. */
function windowsAround(text: string, hits: number[], reach: number): RuleRegion {
  if (hits.length * 2 * reach > text.length * 4) return 'all';
  hits.sort((left, right) => left - right);
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

function isSpace(code: number): boolean {
  return (
    code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 11 || code === 0xa0
  );
}
