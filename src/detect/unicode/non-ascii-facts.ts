import { CONFUSABLE_TO_LATIN } from './confusables.js';

/** Any code point `invisibleKind` classifies; combining ones sit outside the class, as alternatives. */
export const ANY_INVISIBLE =
  /[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\u{E0000}-\u{E007F}\u{1D173}-\u{1D17A}]|\p{Variation_Selector}|\u034f|\u17b4|\u17b5/u;
/** Letters of right-to-left scripts (Hebrew to NKo and their presentation forms). */
export const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
/** Any lookalike that `CONFUSABLE_TO_LATIN` folds. */
export const LOOKALIKE = new RegExp(
  `[${[...CONFUSABLE_TO_LATIN.keys()].map((unit) => `\\u${unit.toString(16).padStart(4, '0')}`).join('')}]`,
);

/** What the unicode detector needs to know about a text's non-ASCII characters before looking closer. */
export interface NonAsciiFacts {
  /** Where `text.search(ANY_INVISIBLE)` finds its first match, or -1. */
  firstInvisible: number;
  /** `RIGHT_TO_LEFT.test(text)`. */
  rightToLeft: boolean;
  /** `LOOKALIKE.test(text)`. */
  lookalike: boolean;
}

/** Non-ASCII code units, global: to jump from one to the next. */
const NON_ASCII = /[^\x00-\x7f]/g;

const INVISIBLE = 1;
const RIGHT_TO_LEFT_LETTER = 2;
const LOOKALIKE_LETTER = 4;
const KNOWN = 8;
/** Per BMP code unit, the answers of the three patterns for that one character, filled as met. */
const bmpFacts = new Uint8Array(0x10000);
/** The same for astral code points (emoji and the like), bounded. */
const astralInvisible = new Map<number, boolean>();
const ASTRAL_LIMIT = 4096;

function factsOf(unit: number): number {
  let facts = bmpFacts[unit]!;
  if (facts === 0) {
    const character = String.fromCharCode(unit);
    facts =
      KNOWN |
      (ANY_INVISIBLE.test(character) ? INVISIBLE : 0) |
      (RIGHT_TO_LEFT.test(character) ? RIGHT_TO_LEFT_LETTER : 0) |
      (CONFUSABLE_TO_LATIN.has(unit) ? LOOKALIKE_LETTER : 0);
    bmpFacts[unit] = facts;
  }
  return facts;
}

function isAstralInvisible(codePoint: number): boolean {
  let invisible = astralInvisible.get(codePoint);
  if (invisible === undefined) {
    invisible = ANY_INVISIBLE.test(String.fromCodePoint(codePoint));
    if (astralInvisible.size < ASTRAL_LIMIT) astralInvisible.set(codePoint, invisible);
  }
  return invisible;
}

/**
 * The answers of three whole-text regex searches (first invisible character, any right-to-left letter,
 * any lookalike) from one walk over the code units. None of the patterns matches an ASCII character, so
 * ASCII is passed over; every other character is looked up once per process. The invisible pattern is
 * searched by code point (`u` flag): a surrogate pair is one character there and here, and a lone
 * surrogate matches none of the patterns. The other two see code units, and no surrogate is in them.
 */
export function nonAsciiFacts(text: string): NonAsciiFacts {
  let firstInvisible = -1;
  let rightToLeft = false;
  let lookalike = false;
  const length = text.length;
  let index = 0;
  for (;;) {
    // ASCII runs are skipped by a native scan; the characters after a non-ASCII one are read directly.
    NON_ASCII.lastIndex = index;
    if (!NON_ASCII.test(text)) break;
    index = NON_ASCII.lastIndex - 1;
    while (index < length) {
      const unit = text.charCodeAt(index);
      if (unit < 0x80) break;
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const codePoint = text.codePointAt(index)!;
        if (codePoint > 0xffff) {
          if (firstInvisible < 0 && isAstralInvisible(codePoint)) firstInvisible = index;
          index += 2;
          continue;
        }
      }
      const facts = factsOf(unit);
      if (firstInvisible < 0 && (facts & INVISIBLE) !== 0) firstInvisible = index;
      if ((facts & RIGHT_TO_LEFT_LETTER) !== 0) rightToLeft = true;
      if ((facts & LOOKALIKE_LETTER) !== 0) lookalike = true;
      index++;
    }
  }
  return { firstInvisible, rightToLeft, lookalike };
}
