/**
 * Phrase anchors of the anchor gate (`'you are now'`, `'text before'`): words separated by 1–3 spaces,
 * hyphens or apostrophes, each word bounded by non-letters. The index pass finds the pair of each
 * phrase's key word and a word next to it; the gate records the phrase at its key word.
 */

/** Characters that may separate the words of a phrase anchor in the text ("pre-prompt", "can't"). */
export const MAX_PHRASE_GAP = 3;

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

/** Finds the phrases that stand at the word pairs the index pass found. */
export interface PhraseMatcher {
  /** The word pairs the index pass looks for: each phrase's key word with a word next to it. */
  readonly pairs: readonly (readonly [string, string])[];
  /**
   * Records in `hits`, at the key word, every phrase found by `pair` ("you are") that stands at one of
   * `positions` (the start offsets of the pair's two words, flat).
   */
  match(text: string, pair: string, positions: readonly number[], hits: PlanHits): void;
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

/** A phrase found by one of its word pairs: whether its key word is the first of the pair. */
interface PairedPhrase {
  readonly phrase: PhraseAnchor;
  readonly keyFirst: boolean;
}

/**
 * Builds the matcher. Each phrase is found by the pair of its key word and the word after it (the word
 * before when the key word is last): the index pass finds such pairs where they stand in the text, with
 * the same separators between the words as a phrase allows, so a two-word phrase is exactly its pair and
 * a longer one is checked word by word only where its pair stands. Hits are recorded at the key word, as
 * when phrases were looked up around each occurrence of their key word (`phraseKey`).
 */
export function createPhraseMatcher(phrases: readonly PhraseAnchor[]): PhraseMatcher {
  const byPair = new Map<string, PairedPhrase[]>();
  const pairs: (readonly [string, string])[] = [];
  for (const phrase of phrases) {
    const keyFirst = phrase.key + 1 < phrase.words.length;
    const firstIndex = keyFirst ? phrase.key : phrase.key - 1;
    const pair = [phrase.words[firstIndex] ?? '', phrase.words[firstIndex + 1] ?? ''] as const;
    const name = pair.join(' ');
    const list = byPair.get(name);
    if (list) list.push({ phrase, keyFirst });
    else {
      byPair.set(name, [{ phrase, keyFirst }]);
      pairs.push(pair);
    }
  }
  return {
    pairs,
    match(text, pair, positions, hits) {
      const paired = byPair.get(pair);
      if (!paired) return;
      for (let index = 0; index < positions.length; index += 2) {
        for (const { phrase, keyFirst } of paired) {
          const position = keyFirst ? positions[index]! : positions[index + 1]!;
          if (phrase.words.length === 2 || phraseAt(text, position, phrase.words, phrase.key)) {
            addHit(hits, phrase.plans, position);
          }
        }
      }
    },
  };
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

/** A char that may separate the words of a phrase anchor (`MAX_PHRASE_GAP` of them at most). */
export function isSeparator(code: number): boolean {
  return isSpace(code) || code === 45 || code === 39 || code === 0x2019;
}
