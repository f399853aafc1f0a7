/**
 * Phrase anchors of the anchor gate (`'you are now'`, `'text before'`): found around each occurrence of
 * the phrase's key word, with the other words separated by 1–3 spaces, hyphens or apostrophes, each
 * word bounded by non-letters.
 */

/** Characters that may separate the words of a phrase anchor in the text ("pre-prompt", "can't"). */
const MAX_PHRASE_GAP = 3;

/** A phrase anchor: its words, the index of its key word, and the rule plans that list it. */
export interface PhraseAnchor {
  readonly words: readonly string[];
  readonly key: number;
  readonly plans: readonly number[];
}

/** Anchor positions found in one text, by rule plan index, and the plans that have any, in hit order. */
export interface PlanHits {
  /** Positions by plan index (`undefined`: none of the plan's anchors occur). */
  readonly lists: (number[] | undefined)[];
  readonly touched: number[];
}

/** Records `position` as a hit of each plan in `plans`. */
export function addHit(hits: PlanHits, plans: readonly number[], position: number): void {
  for (const plan of plans) {
    const list = hits.lists[plan];
    if (list) list.push(position);
    else {
      hits.lists[plan] = [position];
      hits.touched.push(plan);
    }
  }
}

/** Finds the phrases of one key word around its occurrences. */
export interface PhraseMatcher {
  /** Records in `hits` every phrase of `keyWord` standing at one of `positions`. */
  match(text: string, keyWord: string, positions: readonly number[], hits: PlanHits): void;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

export function isSpace(code: number): boolean {
  return (
    code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 11 || code === 0xa0
  );
}

/** The key word of a phrase: the longest, the last among equals. */
export function phraseKey(words: readonly string[]): { word: string; index: number } {
  let index = 0;
  words.forEach((word, position) => {
    if (word.length >= (words[index]?.length ?? 0)) index = position;
  });
  return { word: words[index] ?? '', index };
}

interface KeyGroup {
  /** Two-word phrases whose key is the second word, by their first word. */
  readonly byPrevious: Map<string, PhraseAnchor[]>;
  /** Two-word phrases whose key is the first word, by their second word. */
  readonly byNext: Map<string, PhraseAnchor[]>;
  /** Longer phrases, checked word by word. */
  readonly general: PhraseAnchor[];
  /** Longest neighbour word of the two-word phrases. */
  longest: number;
}

/**
 * Builds the matcher. Most phrases have two words and many share a key ("text before", "lines before", …
 * 36 phrases keyed by "before"): for those the neighbouring word is read once per occurrence and looked
 * up, instead of trying every phrase. A phrase word must be the whole letter run next to the separators
 * (`wordAt` requires non-letters around it), so comparing the run is the same test.
 */
export function createPhraseMatcher(
  phrasesByKey: ReadonlyMap<string, readonly PhraseAnchor[]>,
): PhraseMatcher {
  const groups = new Map<string, KeyGroup>();
  for (const [keyWord, phrases] of phrasesByKey) {
    const group: KeyGroup = { byPrevious: new Map(), byNext: new Map(), general: [], longest: 0 };
    for (const phrase of phrases) {
      if (phrase.words.length !== 2) {
        group.general.push(phrase);
        continue;
      }
      const neighbour = phrase.words[1 - phrase.key] ?? '';
      const map = phrase.key === 1 ? group.byPrevious : group.byNext;
      const list = map.get(neighbour);
      if (list) list.push(phrase);
      else map.set(neighbour, [phrase]);
      group.longest = Math.max(group.longest, neighbour.length);
    }
    groups.set(keyWord, group);
  }
  return {
    match(text, keyWord, positions, hits) {
      const group = groups.get(keyWord);
      if (!group) return;
      for (const position of positions) {
        if (group.byPrevious.size > 0) {
          const previous = group.byPrevious.get(letterRunBefore(text, position, group.longest) ?? '');
          if (previous) for (const phrase of previous) addHit(hits, phrase.plans, position);
        }
        if (group.byNext.size > 0) {
          const after = position + keyWord.length;
          const next = group.byNext.get(letterRunAfter(text, after, group.longest) ?? '');
          if (next) for (const phrase of next) addHit(hits, phrase.plans, position);
        }
        for (const phrase of group.general) {
          if (phraseAt(text, position, phrase.words, phrase.key)) addHit(hits, phrase.plans, position);
        }
      }
    },
  };
}

/** The lowercase letter run that ends 1–3 separators before `position`, if at most `longest` long. */
function letterRunBefore(text: string, position: number, longest: number): string | undefined {
  const end = skipSeparators(text, position, -1);
  if (end === position) return undefined;
  let start = end;
  while (start > 0 && isAsciiLetter(text.charCodeAt(start - 1))) {
    start--;
    if (end - start > longest) return undefined;
  }
  return start === end ? undefined : text.slice(start, end).toLowerCase();
}

/** The lowercase letter run that starts 1–3 separators after `position`, if at most `longest` long. */
function letterRunAfter(text: string, position: number, longest: number): string | undefined {
  const start = skipSeparators(text, position, 1);
  if (start === position) return undefined;
  let end = start;
  while (end < text.length && isAsciiLetter(text.charCodeAt(end))) {
    end++;
    if (end - start > longest) return undefined;
  }
  return start === end ? undefined : text.slice(start, end).toLowerCase();
}

/** True when the words of a phrase surround the key word found at `position`. */
export function phraseAt(text: string, position: number, words: readonly string[], key: number): boolean {
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
