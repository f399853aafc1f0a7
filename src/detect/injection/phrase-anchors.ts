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

/** A neighbour word of two-word phrases and those phrases. */
interface Neighbour {
  readonly word: string;
  readonly phrases: PhraseAnchor[];
}

interface KeyGroup {
  /** Two-word phrases whose key is the second word, by the hash of their first word. */
  readonly byPrevious: Map<number, Neighbour[]>;
  /** Two-word phrases whose key is the first word, by the hash of their second word. */
  readonly byNext: Map<number, Neighbour[]>;
  /** Longer phrases, checked word by word. */
  readonly general: PhraseAnchor[];
  /** Longest neighbour word of the two-word phrases. */
  longest: number;
}

const FNV_PRIME = 0x01000193;
const FNV_BASIS = 0x811c9dc5;

/**
 * FNV-1a of the lowercase ASCII letters `text[start, end)` (`| 0x20` lowercases a letter exactly), cut to
 * 30 bits so that a `Map` key stays a small integer (a larger one is boxed on every lookup).
 */
function runHash(text: string, start: number, end: number): number {
  let hash = FNV_BASIS;
  for (let index = start; index < end; index++)
    hash = Math.imul(hash ^ (text.charCodeAt(index) | 0x20), FNV_PRIME);
  return hash & 0x3fffffff;
}

function addNeighbour(map: Map<number, Neighbour[]>, phrase: PhraseAnchor, word: string): void {
  const hash = runHash(word, 0, word.length);
  const list = map.get(hash) ?? [];
  const known = list.find((neighbour) => neighbour.word === word);
  if (known) known.phrases.push(phrase);
  else list.push({ word, phrases: [phrase] });
  map.set(hash, list);
}

/**
 * The neighbour whose word the letter run `text[start, end)` spells in any case. The run is hashed in
 * place instead of sliced and lowercased: this runs at every occurrence of a common key word.
 */
function neighbourAt(
  map: ReadonlyMap<number, readonly Neighbour[]>,
  text: string,
  start: number,
  end: number,
): Neighbour | undefined {
  const candidates = map.get(runHash(text, start, end));
  if (candidates === undefined) return undefined;
  for (const neighbour of candidates) {
    const word = neighbour.word;
    if (word.length !== end - start) continue;
    let offset = 0;
    while (offset < word.length && (text.charCodeAt(start + offset) | 0x20) === word.charCodeAt(offset))
      offset++;
    if (offset === word.length) return neighbour;
  }
  return undefined;
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
      addNeighbour(phrase.key === 1 ? group.byPrevious : group.byNext, phrase, neighbour);
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
          const previous = previousNeighbour(group, text, position);
          if (previous) for (const phrase of previous.phrases) addHit(hits, phrase.plans, position);
        }
        if (group.byNext.size > 0) {
          const next = nextNeighbour(group, text, position + keyWord.length);
          if (next) for (const phrase of next.phrases) addHit(hits, phrase.plans, position);
        }
        for (const phrase of group.general) {
          if (phraseAt(text, position, phrase.words, phrase.key)) addHit(hits, phrase.plans, position);
        }
      }
    },
  };
}

/** The neighbour spelled by the letter run that ends 1–3 separators before `position` (at most `longest` long). */
function previousNeighbour(group: KeyGroup, text: string, position: number): Neighbour | undefined {
  const end = separatorsBefore(text, position);
  if (end === position) return undefined;
  const limit = Math.max(0, end - group.longest - 1);
  let start = end;
  while (start > limit && isAsciiLetter(text.charCodeAt(start - 1))) start--;
  if (start === end || end - start > group.longest) return undefined;
  return neighbourAt(group.byPrevious, text, start, end);
}

/** The neighbour spelled by the letter run that starts 1–3 separators after `position` (at most `longest` long). */
function nextNeighbour(group: KeyGroup, text: string, position: number): Neighbour | undefined {
  const start = separatorsAfter(text, position);
  if (start === position) return undefined;
  const limit = Math.min(text.length, start + group.longest + 1);
  let end = start;
  while (end < limit && isAsciiLetter(text.charCodeAt(end))) end++;
  if (start === end || end - start > group.longest) return undefined;
  return neighbourAt(group.byNext, text, start, end);
}

/** True when the words of a phrase surround the key word found at `position`. */
export function phraseAt(text: string, position: number, words: readonly string[], key: number): boolean {
  let after = position + (words[key]?.length ?? 0);
  for (let wordIndex = key + 1; wordIndex < words.length; wordIndex++) {
    const word = words[wordIndex] ?? '';
    const start = separatorsAfter(text, after);
    if (start === after || !wordAt(text, start, word)) return false;
    after = start + word.length;
  }
  let before = position;
  for (let wordIndex = key - 1; wordIndex >= 0; wordIndex--) {
    const word = words[wordIndex] ?? '';
    const end = separatorsBefore(text, before);
    if (end === before || !wordAt(text, end - word.length, word)) return false;
    before = end - word.length;
  }
  return true;
}

/** Position after up to `MAX_PHRASE_GAP` separators from `from`, walking forward. */
function separatorsAfter(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_PHRASE_GAP);
  let position = from;
  while (position < limit && isSeparator(text.charCodeAt(position))) position++;
  return position;
}

/** Position before up to `MAX_PHRASE_GAP` separators that end at `from`, walking backward. */
function separatorsBefore(text: string, from: number): number {
  const limit = Math.max(0, from - MAX_PHRASE_GAP);
  let position = from;
  while (position > limit && isSeparator(text.charCodeAt(position - 1))) position--;
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
