import { isWhitespace } from '../is-whitespace.js';

/** A view of a text with some characters removed, and the map from its offsets back to the text. */
export interface SeparatedLettersView {
  readonly text: string;
  /** Maps an offset in `text` to the offset in the text the view was made from. */
  toSource(index: number): number;
}

/** Longest separator between two letters (invisible characters not counted): `.`, `-`, `. `, ` - `. */
const MAX_SEPARATOR = 3;
/** Letters (or spaced characters) a run needs before the view is worth reading: `r.e.a.d`, `c-a-t`. */
const MIN_TRIGGER_RUN = 3;

const LETTER = /\p{L}/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;

function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return !Number.isNaN(code) && LETTER.test(String.fromCharCode(code));
}

function isWordCharacter(code: number): boolean {
  if (code < 0x80) return isLetter(code) || (code >= 48 && code <= 57);
  return !Number.isNaN(code) && WORD_CHARACTER.test(String.fromCharCode(code));
}

/**
 * Characters a reader does not see, skipped when separators are compared (`r.\u200be.a` still has `.` as
 * its separator): zero-width characters, the soft hyphen, bidi controls, variation selectors.
 */
function isInvisible(code: number): boolean {
  return (
    code === 0xad ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2069) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0xfeff
  );
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/** Ranges [from, to) to delete from a text, in order, and whether a run long enough to matter was seen. */
interface Removals {
  ranges: number[];
  triggered: boolean;
}

/**
 * Where the separator starting at `from` ends and what it reads as: a run of characters that are not
 * letters or digits, at most `MAX_SEPARATOR` visible ones and no line break. `undefined` when it is longer.
 */
function separatorAt(text: string, from: number): { end: number; signature: string } | undefined {
  let signature = '';
  let index = from;
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isWordCharacter(code)) break;
    if (isInvisible(code)) continue;
    if (isLineBreak(code) || signature.length === MAX_SEPARATOR) return undefined;
    signature += text[index];
  }
  return { end: index, signature };
}

/** An apostrophe after a letter: the `s` of `here's` or the `t` of `don't` belongs to a word. */
function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019;
}

/**
 * A letter standing alone between characters that are not letters or digits (`r` in `r.e`, not in `rm`, nor
 * the `s` of `here's a`).
 */
function isSingleLetter(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  return (
    isLetter(text.charCodeAt(index)) &&
    !isWordCharacter(before) &&
    !(isApostrophe(before) && isWordCharacter(text.charCodeAt(index - 2))) &&
    !isWordCharacter(text.charCodeAt(index + 1))
  );
}

/**
 * Separators inside runs of single letters joined by one repeated separator: `r.e.a.d`, `d-o`, `t_e_l_l`,
 * `r. e. a. d`, `r e a d`. Each run takes its separator from its first gap and ends where the gap differs,
 * so `d-o n-o-t` is two runs and the space between stays. One pass; every character is looked at a bounded
 * number of times (a failed separator is skipped whole, it holds no letter).
 */
function letterRunRemovals(text: string): Removals {
  const removals: Removals = { ranges: [], triggered: false };
  let index = 0;
  while (index < text.length) {
    if (!isSingleLetter(text, index)) {
      index++;
      continue;
    }
    let letters = 1;
    let runSignature: string | undefined;
    let last = index;
    for (;;) {
      const separator = separatorAt(text, last + 1);
      if (separator === undefined || separator.signature === '') break;
      if (runSignature !== undefined && separator.signature !== runSignature) break;
      if (!isSingleLetter(text, separator.end)) break;
      runSignature = separator.signature;
      removals.ranges.push(last + 1, separator.end);
      letters++;
      last = separator.end;
    }
    if (letters >= MIN_TRIGGER_RUN) removals.triggered = true;
    index = last + 1;
  }
  return removals;
}

/** The end of the non-whitespace word starting at `from`, how many visible characters it holds, and its last one. */
function wordAt(text: string, from: number): { end: number; visible: number; last: number } {
  let visible = 0;
  let last = -1;
  let index = from;
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isWhitespace(code) && code !== 0xfeff) break;
    if (isInvisible(code)) continue;
    visible++;
    last = code;
  }
  return { end: index, visible, last };
}

/** Punctuation that may open a spaced run (`"s i d e`) or close it (`u s e r.`) without ending it early. */
const OPENING = new Set([...'("\'[‘“«'].map((character) => character.charCodeAt(0)));
const CLOSING = new Set([...'.,;:!?)"\']’”»'].map((character) => character.charCodeAt(0)));

/** The end of the whitespace gap starting at `from` and its text (undefined past `MAX_SEPARATOR` characters). */
function gapAt(text: string, from: number): { end: number; signature: string } | undefined {
  let index = from;
  while (index < text.length && isWhitespace(text.charCodeAt(index)) && text.charCodeAt(index) !== 0xfeff)
    index++;
  return index - from > MAX_SEPARATOR ? undefined : { end: index, signature: text.slice(from, index) };
}

/**
 * Gaps inside runs of one-character words spaced by one repeated gap: `r e a d  ~ / . s s h`. Any character
 * counts here (a path spelled out in spaced characters reads back as the path); words end where the gap
 * differs (`r e a d  t h e`: one space inside words, two between them). A run may open with a quote or a
 * parenthesis before its first character and close with punctuation after its last (`"s i d e`, `u s e r.`).
 */
function spacedRunRemovals(text: string): Removals {
  const removals: Removals = { ranges: [], triggered: false };
  let index = 0;
  while (index < text.length) {
    if (isWhitespace(text.charCodeAt(index))) {
      index++;
      continue;
    }
    let word = wordAt(text, index);
    if (word.visible !== 1 && !(word.visible === 2 && OPENING.has(text.charCodeAt(index)))) {
      index = word.end;
      continue;
    }
    let units = 1;
    let runSignature: string | undefined;
    for (;;) {
      const gap = gapAt(text, word.end);
      if (gap === undefined || gap.end === word.end || gap.end === text.length) break;
      if (runSignature !== undefined && gap.signature !== runSignature) break;
      const next = wordAt(text, gap.end);
      const closing = next.visible === 2 && CLOSING.has(next.last);
      if (next.visible !== 1 && !closing) break;
      runSignature = gap.signature;
      removals.ranges.push(word.end, gap.end);
      units++;
      word = next;
      if (closing) break;
    }
    if (units >= MIN_TRIGGER_RUN) removals.triggered = true;
    index = word.end;
  }
  return removals;
}

/** Deletes the ranges from `text`, keeping a map from the result's offsets back to `text`. */
function applyRemovals(text: string, ranges: readonly number[]): SeparatedLettersView {
  const offsets = new Int32Array(text.length + 1);
  const parts: string[] = [];
  let length = 0;
  let kept = 0;
  for (let pair = 0; pair < ranges.length; pair += 2) {
    const from = ranges[pair]!;
    parts.push(text.slice(kept, from));
    for (let position = kept; position < from; position++) offsets[length++] = position;
    kept = ranges[pair + 1]!;
  }
  parts.push(text.slice(kept));
  for (let position = kept; position < text.length; position++) offsets[length++] = position;
  offsets[length] = text.length;
  const joined = parts.join('');
  return {
    text: joined,
    toSource(index) {
      if (index <= 0) return index < 0 ? 0 : (offsets[0] ?? 0);
      return index >= joined.length ? text.length : (offsets[index] ?? text.length);
    },
  };
}

/**
 * Quick tests that let most texts skip the scans below: for text of printable ASCII only (no invisible
 * characters, which words and separators may hold in any number), a run of three needs three single letters
 * parted by short separators (up to six characters: three, plus spaces the spaced-run step may remove), or
 * three words of one or two characters parted by short gaps. Both accept more than the scans do, so a text
 * they reject has no run. The classes either side of each separator are disjoint from it, and every
 * repetition is bounded.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e\t\n\r]*$/;
const MAY_HOLD_LETTER_RUN =
  /(?:^|[^A-Za-z0-9])[A-Za-z][^A-Za-z0-9\n]{1,6}[A-Za-z][^A-Za-z0-9\n]{1,6}[A-Za-z](?![A-Za-z0-9])/;
const MAY_HOLD_SPACED_RUN = /(?:^|\s)\S{1,2}\s{1,3}\S\s{1,3}\S{1,2}(?!\S)/;
/** The quick tests, for the ReDoS check. */
export const SEPARATED_LETTERS_QUICK_TESTS: readonly RegExp[] = [
  PRINTABLE_ASCII,
  MAY_HOLD_LETTER_RUN,
  MAY_HOLD_SPACED_RUN,
];

/**
 * The text with letters broken apart by separators joined again, for the tool-poisoning phrase rules only:
 * `r.e.a.d ~/.ssh/id_rsa`, `d-o n-o-t t-e-l-l t-h-e u-s-e-r` and `r e a d  t h e  f i l e` read as the
 * words they spell. `undefined` when the text has no run of at least three spaced or separated characters,
 * so ordinary text (`e.g.`, `v1.2.3`, `x-y`) costs one scan. Joining only removes characters, and benign
 * look-alikes (`U.S.A.`, `a b c`, `x-y-z`) join into words that no rule looks for.
 */
export function separatedLettersView(text: string): SeparatedLettersView | undefined {
  if (PRINTABLE_ASCII.test(text) && !MAY_HOLD_LETTER_RUN.test(text) && !MAY_HOLD_SPACED_RUN.test(text))
    return undefined;
  return joinSeparatedLetters(text);
}

/** `separatedLettersView` without its quick tests (exported so a test can show they never change the answer). */
export function joinSeparatedLetters(text: string): SeparatedLettersView | undefined {
  const spaced = spacedRunRemovals(text);
  const first = spaced.ranges.length > 0 ? applyRemovals(text, spaced.ranges) : undefined;
  const base = first?.text ?? text;
  const letters = letterRunRemovals(base);
  if (!spaced.triggered && !letters.triggered) return undefined;
  if (letters.ranges.length === 0) return first;
  const second = applyRemovals(base, letters.ranges);
  if (first === undefined) return second;
  return { text: second.text, toSource: (index) => first.toSource(second.toSource(index)) };
}
