/**
 * One pass over the char codes of a scanned text that collects what the rule scan needs to decide what to
 * run: anchor words with their positions, the word pairs of phrase anchors, substring anchors, whether
 * the text has non-ASCII characters, and the cheap evidence the decoders look for (base64-alphabet runs,
 * short tokens mixing letters with leetspeak characters, the marker characters of percent, entity, escape
 * and hex encodings).
 * Before, each of these was its own pass over the text (plus a slice and a lowercase copy per word); on
 * benign text, where no rule and no decoder has anything to do, those passes were most of the cost.
 *
 * Each field is exactly what the step that used to scan the text computed, or a necessary condition of it
 * (stated on the field), so a step skipped on this evidence would have found nothing.
 */
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import { codeUnits } from './code-units.js';
import type { DecoderEvidence } from './decoders.js';
import { isSeparator, MAX_PHRASE_GAP } from './phrase-anchors.js';

/** What one pass found in a text. */
export interface TextEvidence extends DecoderEvidence {
  /** Vocabulary words found as whole ASCII-letter runs (any case) → their start offsets, in text order. */
  readonly words: ReadonlyMap<string, readonly number[]>;
  /**
   * Prefix words → start offsets of the longer letter runs (any case) that start with them, in text order
   * (a run as long as the word is in `words` when the word is in the vocabulary).
   */
  readonly prefixes: ReadonlyMap<string, readonly number[]>;
  /**
   * Word pairs asked for (`"you are"`), found as two letter runs (any case) with 1–3 separators between
   * them (whitespace, `-`, `'`, `’`), by the two words joined with a space → the start offsets of both
   * runs, flat (`first, second, first, second, …`), in text order.
   */
  readonly wordPairs: ReadonlyMap<string, readonly number[]>;
  /**
   * Dotted letter pairs asked for ("a.i.": a letter, a dot, a one-letter word, a dot), by their two
   * lowercase letters ("ai") → start offsets.
   */
  readonly dottedPairs: ReadonlyMap<string, readonly number[]>;
  /**
   * Substring anchors (case-sensitive, or in any case for the `caseless` ones) → start offsets of their
   * non-overlapping occurrences.
   */
  readonly substrings: ReadonlyMap<string, readonly number[]>;
  /** True when some char code is ≥ 0x80. */
  readonly nonAscii: boolean;
  /** True when some char code is ≥ 0x100 (beyond Latin-1). */
  readonly wide: boolean;
  /** OR of the flags (given to the scanner) of the words found. */
  readonly wordFlags: number;
}

/** Everything one scan tracks besides the hot loop's own variables. */
interface ScanState {
  readonly text: string;
  readonly units: Uint16Array;
  readonly length: number;
  readonly found: Map<string, number[]>;
  prefixFound: Map<string, number[]> | undefined;
  dottedFound: Map<string, number[]> | undefined;
  pairFound: Map<string, number[]> | undefined;
  /** Hash of the letter run before the current one (0: none yet). */
  previousHash: number;
  /** Substring anchors found → their positions (made at the first one found: most texts have none). */
  substringFound: Map<string, number[]> | undefined;
  readonly base64Runs: [number, number][];
  readonly leetTokens: number[];
  nonAscii: boolean;
  wide: boolean;
  flags: number;
  percent: boolean;
  entity: boolean;
  unicodeEscape: boolean;
  hexPrefix: boolean;
  separatedHex: boolean;
  /** End (the separator) of the last hex group recorded, and the length of its streak. */
  groupEnd: number;
  groups: number;
  /** Start of the open leet token (-1: none), and its letters and other chars so far. */
  leetStart: number;
  leetLetters: number;
  leetOthers: number;
  /** Start of the open base64-alphabet run (-1: none). */
  base64Start: number;
}

/** Scans texts for the words and substrings it was built with. */
export interface EvidenceScanner {
  scan(text: string): TextEvidence;
}

/** Longest vocabulary word looked up (longer letter runs are no anchor). */
export const MAX_WORD_LENGTH = 24;
/** Longest leet token recorded: every transform keyword is shorter. */
export const MAX_LEET_TOKEN = 24;
/** Shortest base64-alphabet run the decoders try (`decoders.ts` MIN_RUN). */
const MIN_BASE64_RUN = 16;
/** Hex groups in a row that `SEPARATED_HEX_PAIRS` (`decoders.ts`) matches. */
const SEPARATED_HEX_GROUPS = 7;

const LETTER = 1;
const DIGIT = 2;
/** `@` and `$`, which leetspeak uses for letters. */
const LEET_SYMBOL = 4;
/** Standard and URL-safe base64 alphabet without padding. */
const BASE64 = 8;
/** Hex digits. */
const HEX_DIGIT = 16;
/** A character that starts a marker or a substring anchor: looked at more closely. */
const SPECIAL = 32;
/** The separators of separated hex: space, `:`, `,`. */
const HEX_SEPARATOR = 64;
/** ASCII that is no letter, leet, base64 or special char (space, `.`, `,`, `?`, …): it only ends runs. */
const PLAIN = 128;
/** The leet token chars besides letters. */
const LEET_OTHER = DIGIT | LEET_SYMBOL;
/** ASCII anchors the pass finds: not starting with a letter. */
const SCANNED_ASCII = /^[\x00-\x40\x5b-\x60\x7b-\x7f][\x00-\x7f]*$/;

/**
 * Substring anchors the pass finds: ASCII ones that do not start with a letter (letters are consumed by
 * the word loop without looking at anchors), and any that start with a non-ASCII char (CJK, Cyrillic,
 * Arabic, …). The gate searches other anchors itself.
 */
export function isScannedSubstring(anchor: string): boolean {
  return anchor.length > 0 && (anchor.charCodeAt(0) >= 0x80 || SCANNED_ASCII.test(anchor));
}
const NO_SUBSTRINGS: ReadonlyMap<string, readonly number[]> = new Map();
/** Letters a prefix word is looked up by: its first three, so most letter runs end the check at one load. */
const PREFIX_HEAD = 3;
/** One entry per three lowercase letters. */
const PREFIX_HEADS = 26 * 26 * 26;

const FNV_PRIME = 0x01000193;
const FNV_BASIS = 0x811c9dc5;
/** Bits of the vocabulary filter: one bit per value of the top 16 bits of a word hash. */
const FILTER_BITS = 16;

function buildClasses(substrings: readonly string[]): Uint8Array {
  const classes = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code);
    let kind = 0;
    if (/[A-Za-z]/.test(char)) kind |= LETTER | BASE64;
    if (/[0-9]/.test(char)) kind |= DIGIT | BASE64;
    if (char === '@' || char === '$') kind |= LEET_SYMBOL;
    if (/[+/_-]/.test(char)) kind |= BASE64;
    if (/[0-9a-fA-F]/.test(char)) kind |= HEX_DIGIT;
    if (/[ :,]/.test(char)) kind |= HEX_SEPARATOR;
    if (char === '%' || char === '&' || char === '\\' || char === '0') kind |= SPECIAL;
    classes[code] = kind;
  }
  for (const anchor of substrings) {
    const first = anchor.charCodeAt(0);
    if (first < 0x80) classes[first]! |= SPECIAL;
  }
  for (let code = 0; code < 128; code++) {
    if ((classes[code]! & (LETTER | LEET_OTHER | BASE64 | SPECIAL)) === 0) classes[code]! |= PLAIN;
  }
  return classes;
}

/** The upper case of one code unit, or the unit itself when its upper case is no single code unit. */
function upperUnit(char: string): number {
  const upper = char.toUpperCase();
  return upper.length === 1 ? upper.charCodeAt(0) : char.charCodeAt(0);
}

/** True for ASCII letters: `| 0x20` folds case and no other code unit lands in a-z (no table, no branch). */
function isAsciiLetter(code: number): boolean {
  return ((code | 0x20) - 97) >>> 0 < 26;
}

/** FNV-1a of a lowercase ASCII word, as the scan hashes letter runs. */
function wordHash(word: string): number {
  let hash = FNV_BASIS;
  for (let index = 0; index < word.length; index++)
    hash = Math.imul(hash ^ word.charCodeAt(index), FNV_PRIME);
  return hash;
}

/**
 * Hash of two letter runs in a row, from their word hashes: the first rotated, so "a b" and "b a" differ,
 * and no multiply on the hot loop's dependency chain (the top bits of both hashes are mixed already).
 */
function pairHash(previous: number, current: number): number {
  return ((previous << 11) | (previous >>> 21)) ^ current;
}

/** The filter bit of a hash is set: its top 16 bits pick one bit of the 8 KiB table. */
function inFilter(filter: Uint8Array, hash: number): boolean {
  return (filter[hash >>> (35 - FILTER_BITS)]! & (1 << ((hash >>> (32 - FILTER_BITS)) & 7))) !== 0;
}

function addToFilter(filter: Uint8Array, hash: number): void {
  filter[hash >>> (35 - FILTER_BITS)]! |= 1 << ((hash >>> (32 - FILTER_BITS)) & 7);
}

/** A bit filter and an open-addressing table (linear probing) over hashes, for the index pass's lookups. */
interface HashSlots {
  filter: Uint8Array;
  mask: number;
  hashes: Int32Array;
  /** 1 + the index of the key in a slot; 0 for an empty slot. */
  ids: Int32Array;
}

/** Builds the filter and table of `hashes`, the key with index i stored as id i + 1. */
function hashSlots(hashes: readonly number[]): HashSlots {
  const filter = new Uint8Array((1 << FILTER_BITS) / 8);
  let size = 16;
  while (size < hashes.length * 4) size *= 2;
  const mask = size - 1;
  const slotHashes = new Int32Array(size);
  const ids = new Int32Array(size);
  hashes.forEach((hash, index) => {
    addToFilter(filter, hash);
    let slot = hash & mask;
    while (ids[slot] !== 0) slot = (slot + 1) & mask;
    slotHashes[slot] = hash;
    ids[slot] = index + 1;
  });
  return { filter, mask, hashes: slotHashes, ids };
}

/** End of a base64 run ending at `end`, with up to two `=` of padding. */
function paddedEnd(units: Uint16Array, end: number, length: number): number {
  let padded = end;
  while (padded < length && padded - end < 2 && units[padded] === 61) padded++;
  return padded;
}

/**
 * Builds a scanner for lowercase ASCII vocabulary words and ASCII substring anchors. Each letter run is
 * hashed as it is read; it is looked up only when a vocabulary word has the same top hash bits (an 8 KiB
 * bit table, so the branch is rarely taken), then probed in an open-addressing table and compared char
 * by char, so no string is built for the many words of a text that are no anchor.
 */
export function createEvidenceScanner(options: {
  vocabulary: Iterable<string>;
  substrings: readonly string[];
  /** Bits per vocabulary word, OR-ed into `TextEvidence.wordFlags` when the word is found. */
  flags?: ReadonlyMap<string, number>;
  /** Lowercase ASCII words of 3-24 letters found also at the start of longer letter runs (`prefixes`). */
  prefixes?: Iterable<string>;
  /**
   * Substring anchors (lowercase, starting with a non-ASCII char) found in any case: the text's chars
   * compare equal after `toLowerCase`, as those of a pattern with the `i` flag do for Latin and Cyrillic.
   */
  caseless?: Iterable<string>;
  /**
   * Pairs of lowercase letters found as "a.i." in any case. A dot starting a substring anchor (".i.")
   * would take the pass off its fast path after every sentence; a one-letter word before a dot is rare.
   */
  dottedPairs?: Iterable<string>;
  /**
   * Pairs of lowercase ASCII words (1-24 letters each) found as two letter runs in a row with 1–3
   * separators between them, as the words of a phrase anchor stand (`phrase-anchors.ts`). Checked at the
   * end of every letter run against a filter of pair hashes, so a phrase of common words ("what is")
   * costs nothing at the many runs that spell only one of them.
   */
  wordPairs?: Iterable<readonly [string, string]>;
}): EvidenceScanner {
  const words = [...new Set(options.vocabulary)].filter(
    (word) => /^[a-z]+$/.test(word) && word.length <= MAX_WORD_LENGTH,
  );
  // Slot ids are 1 + the index in `words` of the word in the slot.
  const { filter, mask, hashes: slotHashes, ids: slotWords } = hashSlots(words.map((word) => wordHash(word)));
  const pairKeys = [...new Set([...(options.wordPairs ?? [])].map((pair) => pair.join(' ')))];
  const pairWords = pairKeys.map((key) => key.split(' ') as [string, string]);
  const badWordPair = pairKeys.find((key) => !/^[a-z]{1,24} [a-z]{1,24}$/.test(key));
  if (badWordPair !== undefined) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `evidence scanner: word pair ${badWordPair} is not two lowercase ASCII words of 1-24 letters`,
    );
  }
  // Slot ids are 1 + the index in `pairKeys` of the pair in the slot.
  const {
    filter: pairFilter,
    mask: pairMask,
    hashes: pairSlotHashes,
    ids: pairSlots,
  } = hashSlots(pairWords.map(([first, second]) => pairHash(wordHash(first), wordHash(second))));
  const substrings = [...new Set(options.substrings)];
  const unsupported = substrings.find((anchor) => !isScannedSubstring(anchor));
  if (unsupported !== undefined) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `evidence scanner: substring anchor ${unsupported} is not scanned (it starts with a letter)`,
    );
  }
  const classes = buildClasses(substrings);
  const prefixWords = [...new Set(options.prefixes ?? [])];
  const badPrefix = prefixWords.find((word) => !/^[a-z]{3,24}$/.test(word));
  if (badPrefix !== undefined) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `evidence scanner: prefix word ${badPrefix} is not a lowercase ASCII word of 3-24 letters`,
    );
  }
  // Prefix words by their first three letters: a letter run is compared only with those its head selects.
  // One bit per head (2 KiB, so the table stays in the first-level cache: every longer run looks it up).
  const prefixHeads = new Int32Array(PREFIX_HEADS / 32 + 1);
  const prefixesByHead = new Map<number, number[]>();
  prefixWords.forEach((word, id) => {
    const head = (word.charCodeAt(0) - 97) * 676 + (word.charCodeAt(1) - 97) * 26 + (word.charCodeAt(2) - 97);
    prefixHeads[head >>> 5]! |= 1 << (head & 31);
    const list = prefixesByHead.get(head);
    if (list) list.push(id);
    else prefixesByHead.set(head, [id]);
  });
  /** Runs longer than the shortest prefix word are looked up (none when there is no prefix word). */
  const prefixRunFloor = prefixWords.reduce(
    (shortest, word) => Math.min(shortest, word.length),
    MAX_WORD_LENGTH,
  );
  const pairs = [...new Set(options.dottedPairs ?? [])];
  const badPair = pairs.find((pair) => !/^[a-z]{2}$/.test(pair));
  if (badPair !== undefined) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `evidence scanner: dotted pair ${badPair} is not two lowercase ASCII letters`,
    );
  }
  const wantedPairs = new Uint8Array(26 * 26);
  for (const pair of pairs) wantedPairs[(pair.charCodeAt(0) - 97) * 26 + pair.charCodeAt(1) - 97] = 1;
  const hasPairs = pairs.length > 0;
  // Substring anchors by id, grouped by their first char code; the second char (-1: none) is compared
  // before the whole anchor, so a char that starts many anchors ("<") stays cheap. Non-ASCII first chars
  // are marked in a bit table (one bit per code unit) so the other non-ASCII chars skip the map.
  const anchorsByFirst: (number[] | undefined)[] = new Array(128).fill(undefined);
  const anchorsByWideFirst = new Map<number, number[]>();
  const wideFirsts = new Uint8Array(0x10000 / 8);
  const anchorSeconds = Int32Array.from(substrings, (anchor) =>
    anchor.length > 1 ? anchor.charCodeAt(1) : -1,
  );
  const caselessAnchors = new Set(options.caseless ?? []);
  const badCaseless = [...caselessAnchors].find(
    (anchor) =>
      !substrings.includes(anchor) || anchor.charCodeAt(0) < 0x80 || anchor !== anchor.toLowerCase(),
  );
  if (badCaseless !== undefined) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `evidence scanner: caseless anchor ${badCaseless} is not a lowercase substring anchor starting with a non-ASCII char`,
    );
  }
  const caseless = Uint8Array.from(substrings, (anchor) => (caselessAnchors.has(anchor) ? 1 : 0));
  /** The second char in upper case for a caseless anchor (the same as `anchorSeconds` for the others). */
  const anchorUpperSeconds = Int32Array.from(substrings, (anchor, id) =>
    caseless[id] === 1 && anchor.length > 1 ? upperUnit(anchor[1]!) : anchorSeconds[id]!,
  );
  // A caseless anchor is also looked up at the upper case of its first char.
  const firstsOf = (anchor: string, id: number): number[] => {
    const first = anchor.charCodeAt(0);
    if (caseless[id] !== 1) return [first];
    const upper = upperUnit(anchor[0]!);
    return upper === first || upper < 0x80 ? [first] : [first, upper];
  };
  substrings.forEach((anchor, id) => {
    for (const first of firstsOf(anchor, id)) registerFirst(first, id);
  });
  function registerFirst(first: number, id: number): void {
    if (first < 0x80) {
      const list = anchorsByFirst[first];
      if (list) list.push(id);
      else anchorsByFirst[first] = [id];
      return;
    }
    wideFirsts[first >>> 3]! |= 1 << (first & 7);
    const list = anchorsByWideFirst.get(first);
    if (list) list.push(id);
    else anchorsByWideFirst.set(first, [id]);
  }

  function isHexDigit(code: number): boolean {
    return code < 0x80 && (classes[code]! & HEX_DIGIT) !== 0;
  }

  function isHexSeparator(code: number): boolean {
    return code < 0x80 && (classes[code]! & HEX_SEPARATOR) !== 0;
  }

  const wordFlags = Int32Array.from(words, (word) => options.flags?.get(word) ?? 0);

  /** Index in `words` of the vocabulary word spelled (in any case) by `units[start, end)`, or -1. */
  function lookup(units: Uint16Array, start: number, end: number, hash: number): number {
    const length = end - start;
    for (let slot = hash & mask; slotWords[slot] !== 0; slot = (slot + 1) & mask) {
      if (slotHashes[slot] !== hash) continue;
      const word = words[slotWords[slot]! - 1]!;
      if (word.length !== length) continue;
      let equal = true;
      for (let offset = 0; equal && offset < length; offset++) {
        equal = (units[start + offset]! | 0x20) === word.charCodeAt(offset);
      }
      if (equal) return slotWords[slot]! - 1;
    }
    return -1;
  }

  /** Records a letter run that the bit filter let through, when it spells a vocabulary word. */
  function addWord(state: ScanState, start: number, end: number, hash: number): void {
    const wordIndex = lookup(state.units, start, end, hash);
    if (wordIndex < 0) return;
    const word = words[wordIndex]!;
    state.flags |= wordFlags[wordIndex]!;
    const positions = state.found.get(word);
    if (positions) positions.push(start);
    else state.found.set(word, [start]);
  }

  /** True when `units[start, end)` spells `word` (lowercase) in any case. */
  function spells(units: Uint16Array, start: number, end: number, word: string): boolean {
    if (end - start !== word.length) return false;
    for (let offset = 0; offset < word.length; offset++) {
      if ((units[start + offset]! | 0x20) !== word.charCodeAt(offset)) return false;
    }
    return true;
  }

  /**
   * Records the word pair that the letter run before and this one spell, when the pair filter let the
   * run through and only separators (1-3) stand between the two. The run before is found by walking
   * back (at most the longest pair word), so the hot loop keeps only its hash.
   */
  function addPair(state: ScanState, start: number, end: number, hash: number): void {
    const units = state.units;
    let previousEnd = start;
    const gapLimit = Math.max(0, start - MAX_PHRASE_GAP);
    while (previousEnd > gapLimit && isSeparator(units[previousEnd - 1]!)) previousEnd--;
    if (previousEnd === start || previousEnd === 0 || !isAsciiLetter(units[previousEnd - 1]!)) return;
    let previousStart = previousEnd - 1;
    const runLimit = Math.max(0, previousEnd - MAX_WORD_LENGTH - 1);
    while (previousStart > runLimit && isAsciiLetter(units[previousStart - 1]!)) previousStart--;
    for (let slot = hash & pairMask; pairSlots[slot] !== 0; slot = (slot + 1) & pairMask) {
      if (pairSlotHashes[slot] !== hash) continue;
      const pairIndex = pairSlots[slot]! - 1;
      const [first, second] = pairWords[pairIndex]!;
      if (!spells(units, previousStart, previousEnd, first) || !spells(units, start, end, second)) continue;
      state.pairFound ??= new Map();
      const key = pairKeys[pairIndex]!;
      const positions = state.pairFound.get(key);
      if (positions) positions.push(previousStart, start);
      else state.pairFound.set(key, [previousStart, start]);
      return;
    }
  }

  /** The rare step at the end of a letter run that the word or the pair filter let through. */
  function filteredRun(state: ScanState, start: number, end: number, hash: number, pair: number): void {
    if (inFilter(filter, hash) && end - start <= MAX_WORD_LENGTH) addWord(state, start, end, hash);
    if (inFilter(pairFilter, pair)) addPair(state, start, end, pair);
  }

  /** Records the prefix words (ids sharing the run's head) that a letter run longer than them starts with. */
  function addPrefixes(state: ScanState, start: number, end: number, ids: readonly number[]): void {
    const units = state.units;
    for (const id of ids) {
      const word = prefixWords[id]!;
      if (word.length >= end - start) continue;
      let offset = PREFIX_HEAD;
      while (offset < word.length && (units[start + offset]! | 0x20) === word.charCodeAt(offset)) offset++;
      if (offset < word.length) continue;
      state.prefixFound ??= new Map();
      const positions = state.prefixFound.get(word);
      if (positions) positions.push(start);
      else state.prefixFound.set(word, [start]);
    }
  }

  /** Records "a.i." when the one-letter word at `start`, before a dot, ends a pair asked for. */
  function dottedPair(state: ScanState, start: number): void {
    const units = state.units;
    if (start < 2 || units[start - 1] !== 46 || !isAsciiLetter(units[start - 2]!)) return;
    const first = (units[start - 2]! | 0x20) - 97;
    const second = (units[start]! | 0x20) - 97;
    if (wantedPairs[first * 26 + second] !== 1) return;
    const pair = String.fromCharCode(first + 97, second + 97);
    state.dottedFound ??= new Map();
    const positions = state.dottedFound.get(pair);
    if (positions) positions.push(start - 2);
    else state.dottedFound.set(pair, [start - 2]);
  }

  /**
   * The rare steps for a letter run with no leet token or base64 run open before it and a plain char
   * after it: the run is its whole leet token (letters only, so none to record) and its whole base64 run.
   * A hex group ends after it only when its last two letters are hex digits; it is recorded when the run
   * has two letters. A longer run's group is left for `hexGroup` to find from the group after it: three
   * chars before its end is a letter of the run, no separator, so it can only start a streak.
   */
  function closedRun(state: ScanState, start: number, end: number, kind: number): void {
    const units = state.units;
    if (end - start >= MIN_BASE64_RUN) state.base64Runs.push([start, paddedEnd(units, end, state.length)]);
    else if (
      end - start === 2 &&
      (kind & HEX_SEPARATOR) !== 0 &&
      isHexDigit(units[end - 1]!) &&
      isHexDigit(units[start]!)
    ) {
      hexGroup(state, end);
    }
  }

  /**
   * A hex group (two hex digits and a separator) ends at `index`. A group three chars after the previous
   * one continues its streak; seven in a row are what `SEPARATED_HEX_PAIRS` matches. The only groups
   * not recorded as they end (see `closedRun`) start their streak, so one found just before a group that
   * starts a streak here makes it the second of that streak.
   */
  function hexGroup(state: ScanState, index: number): void {
    const units = state.units;
    if (state.groupEnd === index - 3) state.groups++;
    else {
      state.groups =
        index >= 5 &&
        isHexSeparator(units[index - 3]!) &&
        isHexDigit(units[index - 4]!) &&
        isHexDigit(units[index - 5]!)
          ? 2
          : 1;
    }
    state.groupEnd = index;
    if (state.groups >= SEPARATED_HEX_GROUPS) state.separatedHex = true;
  }

  /** A letter run that extends an open leet token or base64 run, or is followed by a char that does. */
  function openRun(state: ScanState, start: number, end: number): void {
    if (state.leetStart < 0) {
      state.leetStart = start;
      state.leetLetters = 0;
      state.leetOthers = 0;
    }
    state.leetLetters += end - start;
    if (state.base64Start < 0) state.base64Start = start;
  }

  /** Every step for one char that is no ASCII letter (the terminator included). */
  function otherChar(state: ScanState, index: number, code: number): void {
    const units = state.units;
    const kind = code < 0x80 ? classes[code]! : 0;
    if (code >= 0x80) {
      state.nonAscii = true;
      if (code >= 0x100) state.wide = true;
      if ((wideFirsts[code >>> 3]! & (1 << (code & 7))) !== 0)
        findAnchors(state, index, anchorsByWideFirst.get(code)!);
    }

    if ((kind & LEET_OTHER) !== 0) {
      if (state.leetStart < 0) {
        state.leetStart = index;
        state.leetLetters = 0;
        state.leetOthers = 0;
      }
      state.leetOthers++;
    } else if (state.leetStart >= 0) {
      if (state.leetLetters > 0 && state.leetOthers > 0 && index - state.leetStart <= MAX_LEET_TOKEN)
        state.leetTokens.push(state.leetStart, index);
      state.leetStart = -1;
    }

    if ((kind & BASE64) !== 0) {
      if (state.base64Start < 0) state.base64Start = index;
    } else if (state.base64Start >= 0) {
      if (index - state.base64Start >= MIN_BASE64_RUN)
        state.base64Runs.push([state.base64Start, paddedEnd(units, index, state.length)]);
      state.base64Start = -1;
    }

    if (
      (kind & HEX_SEPARATOR) !== 0 &&
      index >= 2 &&
      isHexDigit(units[index - 1]!) &&
      isHexDigit(units[index - 2]!)
    ) {
      hexGroup(state, index);
    }

    if ((kind & SPECIAL) !== 0) special(state, index, code);
  }

  /** Encoding markers and substring anchors at a special char. */
  function special(state: ScanState, index: number, code: number): void {
    const next = state.units[index + 1]!; // index < length here: at worst the terminator
    if (code === 37) state.percent = true;
    else if (code === 38) state.entity ||= next === 35;
    else if (code === 92) {
      state.unicodeEscape ||= next === 117;
      state.hexPrefix ||= next === 120;
    } else if (code === 48) state.hexPrefix ||= next === 120;
    const anchors = anchorsByFirst[code];
    if (anchors !== undefined) findAnchors(state, index, anchors);
  }

  /** Records the anchors (ids, all starting with the char at `index`) that occur at `index`. */
  function findAnchors(state: ScanState, index: number, anchors: readonly number[]): void {
    const next = state.units[index + 1]!; // index < length here: at worst the terminator
    for (const id of anchors) {
      const second = anchorSeconds[id]!;
      if (second >= 0 && next !== second && next !== anchorUpperSeconds[id]!) continue;
      const anchor = substrings[id]!;
      const positions = state.substringFound?.get(anchor);
      // Non-overlapping occurrences, as `indexOf` from the end of the previous one finds them. Nothing is
      // allocated until an anchor is found: the chars that start anchors ("-", "=", "<") are common.
      if (positions !== undefined && index < positions[positions.length - 1]! + anchor.length) continue;
      if (
        caseless[id] === 1
          ? state.text.slice(index, index + anchor.length).toLowerCase() !== anchor
          : !state.text.startsWith(anchor, index)
      )
        continue;
      if (positions) positions.push(index);
      else {
        state.substringFound ??= new Map();
        state.substringFound.set(anchor, [index]);
      }
    }
  }

  return {
    scan(text) {
      const units = codeUnits(text);
      const length = text.length;
      const state: ScanState = {
        text,
        units,
        length,
        found: new Map(),
        prefixFound: undefined,
        dottedFound: undefined,
        pairFound: undefined,
        previousHash: 0,
        substringFound: undefined,
        base64Runs: [],
        leetTokens: [],
        nonAscii: false,
        wide: false,
        flags: 0,
        percent: false,
        entity: false,
        unicodeEscape: false,
        hexPrefix: false,
        separatedHex: false,
        groupEnd: -1,
        groups: 0,
        leetStart: -1,
        leetLetters: 0,
        leetOthers: 0,
        base64Start: -1,
      };
      // The hot loop keeps only a few variables (the rest of the state lives in `state`, touched by the
      // rare steps): with every counter in it, it ran at half the speed on plain prose.
      // `units[length]` is a 0 terminator that closes every open run inside the loop: code after a hot
      // loop that has never run gives optimized code nothing to go on (it was seen deoptimizing on every
      // call).
      for (let index = 0; index <= length; index++) {
        let code = units[index]!;
        if (isAsciiLetter(code)) {
          // A whole run of ASCII letters in a tight loop (most of a text), hashed lowercase as it is read
          // (`| 0x20` lowercases ASCII letters exactly). Four letters per turn: each turn of a loop also
          // pays a stack check and a jump, and the loop ran about 7% faster unrolled (the terminator
          // stops every run, so the extra steps never read past it).
          const start = index;
          let hash = Math.imul(FNV_BASIS ^ (code | 0x20), FNV_PRIME);
          for (;;) {
            code = units[++index]!;
            if (!isAsciiLetter(code)) break;
            hash = Math.imul(hash ^ (code | 0x20), FNV_PRIME);
            code = units[++index]!;
            if (!isAsciiLetter(code)) break;
            hash = Math.imul(hash ^ (code | 0x20), FNV_PRIME);
            code = units[++index]!;
            if (!isAsciiLetter(code)) break;
            hash = Math.imul(hash ^ (code | 0x20), FNV_PRIME);
            code = units[++index]!;
            if (!isAsciiLetter(code)) break;
            hash = Math.imul(hash ^ (code | 0x20), FNV_PRIME);
          }
          // One branch for both filters (the word's bit and the bit of the pair it ends), rarely taken.
          const pair = pairHash(state.previousHash, hash);
          if (
            (((filter[hash >>> (35 - FILTER_BITS)]! >>> ((hash >>> (32 - FILTER_BITS)) & 7)) |
              (pairFilter[pair >>> (35 - FILTER_BITS)]! >>> ((pair >>> (32 - FILTER_BITS)) & 7))) &
              1) !==
            0
          ) {
            filteredRun(state, start, index, hash, pair);
          }
          state.previousHash = hash;
          if (index - start > prefixRunFloor) {
            const head =
              ((units[start]! | 0x20) - 97) * 676 +
              ((units[start + 1]! | 0x20) - 97) * 26 +
              ((units[start + 2]! | 0x20) - 97);
            if ((prefixHeads[head >>> 5]! & (1 << (head & 31))) !== 0)
              addPrefixes(state, start, index, prefixesByHead.get(head)!);
          }
          // The common case, a word between spaces or punctuation with no leet token or base64 run open
          // (both starts are -1, so their AND is negative): the plain char after it opens nothing.
          const kind = code < 0x80 ? classes[code]! : 0;
          if ((state.leetStart & state.base64Start) < 0 && (kind & PLAIN) !== 0) {
            const runLength = index - start;
            if (runLength === 2 || runLength >= MIN_BASE64_RUN) closedRun(state, start, index, kind);
            // After a dot every run is closed, so the second letter of "a.i." always ends here.
            else if (runLength === 1 && code === 46 && hasPairs) dottedPair(state, start);
            continue;
          }
          openRun(state, start, index);
        }
        otherChar(state, index, code);
      }
      return {
        words: state.found,
        prefixes: state.prefixFound ?? NO_SUBSTRINGS,
        dottedPairs: state.dottedFound ?? NO_SUBSTRINGS,
        wordPairs: state.pairFound ?? NO_SUBSTRINGS,
        substrings: state.substringFound ?? NO_SUBSTRINGS,
        nonAscii: state.nonAscii,
        wordFlags: state.flags,
        wide: state.wide,
        base64Runs: state.base64Runs,
        leetTokens: state.leetTokens,
        percent: state.percent,
        entity: state.entity,
        unicodeEscape: state.unicodeEscape,
        hexPrefix: state.hexPrefix,
        separatedHex: state.separatedHex,
      };
    },
  };
}
