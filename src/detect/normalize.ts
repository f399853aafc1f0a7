import type { NormalizedText, Normalizer } from '../spec/text.js';
import { identityText } from '../spec/text.js';
import { isAscii } from './is-ascii.js';
import { CONFUSABLE_TO_LATIN, isLatinLetter } from './unicode/confusables.js';
import { invisibleKind } from './unicode/invisible.js';

/** Non-ASCII characters, global: to find the first one and to jump from one to the next. */
const NON_ASCII_FROM = /[^\x00-\x7f]/g;
const WORD = /[\p{L}\p{M}]+/gu;
const MARK_START = 0x300;
const CACHE_LIMIT = 8192;

/** NFKC results of single code points, memoized: the same few thousand characters recur in real text. */
const singleCache = new Map<number, string>();
const CONFUSABLE_CLASS = new RegExp(
  `[${[...CONFUSABLE_TO_LATIN.keys()].map((unit) => `\\u${unit.toString(16).padStart(4, '0')}`).join('')}]`,
);
const MARK_PATTERN = /^\p{M}$/u;
/**
 * 1 for every lookalike code unit (the keys of `CONFUSABLE_TO_LATIN`: BMP, none of them ASCII). The walk
 * in `normalizeSlow` looks at every non-ASCII unit that reaches the normalized text, so it can tell
 * `foldConfusables` there is nothing to fold instead of letting it search the whole text again.
 */
const LOOKALIKE_UNITS = new Uint8Array(0x10000);
for (const unit of CONFUSABLE_TO_LATIN.keys()) LOOKALIKE_UNITS[unit] = 1;

function hasLookalike(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (LOOKALIKE_UNITS[text.charCodeAt(index)] === 1) return true;
  }
  return false;
}

function isCombiningMark(codePoint: number): boolean {
  if (codePoint < MARK_START) return false;
  if (codePoint <= 0xffff) return classOf(codePoint) === MARK;
  return MARK_PATTERN.test(String.fromCodePoint(codePoint));
}

const UNKNOWN = 0;
/** Unchanged by NFKC, visible, not a combining mark: copied as is. */
const PLAIN = 1;
const MARK = 2;
const OTHER = 3;
/** Lazily filled class of every BMP code unit, so each character is examined once per process. */
const bmpClasses = new Uint8Array(0x10000);

function classOf(unit: number): number {
  const known = bmpClasses[unit] ?? UNKNOWN;
  if (known !== UNKNOWN) return known;
  const char = String.fromCharCode(unit);
  let result = OTHER;
  if (invisibleKind(unit) !== undefined) result = OTHER;
  else if (MARK_PATTERN.test(char)) result = MARK;
  else if (char.normalize('NFKC') === char) result = PLAIN;
  bmpClasses[unit] = result;
  return result;
}

function nfkcOfCodePoint(codePoint: number): string {
  const cached = singleCache.get(codePoint);
  if (cached !== undefined) return cached;
  const result = String.fromCodePoint(codePoint).normalize('NFKC');
  if (singleCache.size < CACHE_LIMIT) singleCache.set(codePoint, result);
  return result;
}

/** A growable offset map: entry k is the offset in the original text of normalized code unit k. */
class OffsetMap {
  values = new Int32Array(64);
  length = 0;
  /** Makes room for `count` more entries. */
  private reserve(count: number): void {
    if (this.length + count <= this.values.length) return;
    let capacity = this.values.length * 2;
    while (capacity < this.length + count) capacity *= 2;
    const grown = new Int32Array(capacity);
    grown.set(this.values.subarray(0, this.length));
    this.values = grown;
  }
  push(offset: number, count: number): void {
    this.reserve(count);
    for (let index = 0; index < count; index++) this.values[this.length++] = offset;
  }
  /** Entries `start` .. `end` - 1, written once (most of a long text is copied runs). */
  pushRange(start: number, end: number): void {
    this.reserve(end - start);
    const { values } = this;
    let at = this.length;
    for (let offset = start; offset < end; offset++) values[at++] = offset;
    this.length = at;
  }
}

/**
 * Folds lookalikes in words that mix Latin with other scripts ("іgnоre"), and in words made only of
 * lookalikes when the text is mostly Latin ("ѕау" in an English sentence). Pure Cyrillic or Greek words in
 * Cyrillic or Greek text stay as they are. Length-preserving, so the offset map is unchanged.
 */
const LATIN_LETTER = /[A-Za-z\u00c0-\u024f]/;

function foldConfusables(text: string): string {
  // Without Latin letters there is no mixed word and no Latin-dominant text: nothing to fold.
  if (!CONFUSABLE_CLASS.test(text) || !LATIN_LETTER.test(text)) return text;
  let latinLetters = 0;
  let otherLetters = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (isLatinLetter(unit)) latinLetters++;
    // Letters of other alphabets and syllabaries (Greek to Ethiopic, CJK, Hangul); an estimate is enough here.
    else if ((unit >= 0x370 && unit < 0x1400) || (unit >= 0x3040 && unit < 0xd7b0)) otherLetters++;
  }
  const latinDominant = latinLetters > otherLetters;
  let result = '';
  let copied = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    let hasLatin = false;
    let hasLookalike = false;
    let allLookalike = true;
    for (let index = 0; index < word.length; index++) {
      const unit = word.charCodeAt(index);
      if (CONFUSABLE_TO_LATIN.has(unit)) hasLookalike = true;
      else {
        allLookalike = false;
        if (isLatinLetter(unit)) hasLatin = true;
      }
    }
    if (!hasLookalike) continue;
    if (!(hasLatin || (allLookalike && latinDominant && word.length >= 2))) continue;
    let folded = '';
    for (let index = 0; index < word.length; index++) {
      const unit = word.charCodeAt(index);
      folded += String.fromCharCode(CONFUSABLE_TO_LATIN.get(unit) ?? unit);
    }
    result += text.slice(copied, match.index) + folded;
    copied = match.index + word.length;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** Normalizes `original`, whose first non-ASCII character is at `firstNonAscii` (all before it is kept). */
function normalizeSlow(original: string, firstNonAscii: number): NormalizedText {
  const map = new OffsetMap();
  let text = '';
  const length = original.length;
  let runStart = 0;
  let index = firstNonAscii;
  // Whether a lookalike reaches `text`: ASCII units are never one, every other unit is looked at below.
  let lookalike = false;
  while (index < length) {
    const unit = original.charCodeAt(index);
    if (unit < 0x80) {
      // ASCII is copied as is: jump to the next non-ASCII character with a native scan instead of a
      // character loop (the characters skipped are exactly those the loop would have skipped).
      NON_ASCII_FROM.lastIndex = index + 1;
      if (!NON_ASCII_FROM.test(original)) break;
      index = NON_ASCII_FROM.lastIndex - 1;
      continue;
    }
    const kind = unit >= 0xd800 && unit < 0xe000 ? OTHER : classOf(unit);
    if (kind === PLAIN) {
      if (LOOKALIKE_UNITS[unit] === 1) lookalike = true;
      index++;
      continue;
    }
    // A chunk is one base code point plus the combining marks after it (invisible ones dropped), so NFKC
    // composition (e + U+0301 → é) happens inside the chunk and every output unit maps to its start.
    const base = kind === MARK && index > runStart ? index - 1 : index;
    if (base > runStart) {
      text += original.slice(runStart, base);
      map.pushRange(runStart, base);
    }
    const codePoint = original.codePointAt(base) ?? 0;
    const size = codePoint > 0xffff ? 2 : 1;
    if (invisibleKind(codePoint) !== undefined) {
      index = base + size;
      runStart = index;
      continue;
    }
    let end = base + size;
    let chunk: string | undefined;
    while (end < length) {
      const following = original.codePointAt(end) ?? 0;
      const followingSize = following > 0xffff ? 2 : 1;
      const followingKind = invisibleKind(following);
      if (followingKind === 'variation-selector' || followingKind === 'format') {
        end += followingSize;
        continue;
      }
      if (!isCombiningMark(following)) break;
      chunk = (chunk ?? String.fromCodePoint(codePoint)) + original.slice(end, end + followingSize);
      end += followingSize;
    }
    const normalized = chunk === undefined ? nfkcOfCodePoint(codePoint) : chunk.normalize('NFKC');
    if (!lookalike && hasLookalike(normalized)) lookalike = true;
    text += normalized;
    map.push(base, normalized.length);
    index = end;
    runStart = end;
  }
  if (runStart === 0) {
    // Nothing was replaced or dropped: the map is the identity, so it is not built. Folding keeps lengths.
    const folded = lookalike ? foldConfusables(original) : original;
    return {
      original,
      text: folded,
      changed: folded !== original,
      // The same answers as the general map below for every argument (clamped, floored, NaN → length).
      toOriginal(position: number): number {
        if (position >= length) return length;
        if (position < 0) return 0;
        const floored = Math.floor(position);
        return Number.isNaN(floored) ? length : floored;
      },
    };
  }
  if (length > runStart) {
    text += original.slice(runStart, length);
    map.pushRange(runStart, length);
  }
  const folded = lookalike ? foldConfusables(text) : text;
  const offsets = map.values;
  const mappedLength = map.length;
  return {
    original,
    text: folded,
    changed: folded !== original,
    toOriginal(position: number): number {
      if (position >= mappedLength) return length;
      if (position < 0) return 0;
      return offsets[Math.floor(position)] ?? length;
    },
  };
}

/**
 * The normalizer every detector sees text through: NFKC, invisible characters removed (zero-width, bidi
 * controls, tag characters, variation selectors, soft hyphen) and Cyrillic/Greek lookalikes folded to Latin
 * in mixed words, with an exact offset map back to the original. Plain ASCII returns the identity view.
 */
export const normalizeText: Normalizer = (text) => {
  if (isAscii(text)) return identityText(text);
  // Not plain ASCII: the regex finds where the first other character is.
  NON_ASCII_FROM.lastIndex = 0;
  NON_ASCII_FROM.test(text);
  return normalizeSlow(text, NON_ASCII_FROM.lastIndex - 1);
};
