import { CONFUSABLE_TO_LATIN, isLatinLetter } from './confusables.js';
import { invisibleKind } from './invisible.js';
import { LOOKALIKE } from './non-ascii-facts.js';

/** A word that mixes Latin letters with lookalikes from another script. */
export interface HomoglyphWord {
  start: number;
  end: number;
  /** The word with lookalikes folded to Latin. */
  skeleton: string;
  /** How many lookalike letters the word contains. */
  lookalikes: number;
}

// Letters, marks and invisible formatting inside a word (so "іg\u200bnore" is one word).
const WORD = /[\p{L}\p{M}\u200b-\u200d\u2060\u00ad]+/gu;

/** Words (original offsets) that mix Latin letters with Cyrillic, Greek or other Latin lookalikes. */
export function findHomoglyphWords(text: string, limit: number): HomoglyphWord[] {
  const words: HomoglyphWord[] = [];
  if (limit <= 0 || !LOOKALIKE.test(text) || !/[A-Za-z\u00c0-\u024f]/.test(text)) return words;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    let latin = 0;
    let lookalikes = 0;
    let foreign = 0;
    let skeleton = '';
    for (let index = 0; index < word.length; index++) {
      const unit = word.charCodeAt(index);
      const folded = CONFUSABLE_TO_LATIN.get(unit);
      if (folded !== undefined) {
        lookalikes++;
        skeleton += String.fromCharCode(folded);
      } else {
        if (isLatinLetter(unit)) latin++;
        else if (unit >= 0x370 && invisibleKind(unit) === undefined) foreign++;
        if (invisibleKind(unit) === undefined) skeleton += word[index];
      }
    }
    // A Latin word with lookalikes and no other foreign letters; one foreign letter in a long word of
    // another script is ordinary transliteration noise, so the Latin part must dominate.
    if (lookalikes === 0 || latin === 0 || foreign > 0 || latin + lookalikes < 3) continue;
    words.push({ start: match.index, end: match.index + word.length, skeleton, lookalikes });
    if (words.length >= limit) break;
  }
  return words;
}
