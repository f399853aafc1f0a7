import { Buffer } from 'node:buffer';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import { isWhitespace } from '../is-whitespace.js';

/**
 * Which of a fixed set of hint words occur in a text, ignoring ASCII case, found in one pass. The payload
 * rules used to search the lower-cased text once per hint (~35 searches, most of them over the whole
 * text because the hint is absent); one pass over a byte copy with a table of the words' first three
 * characters costs about as much as two of those searches, and the text need not be lower-cased.
 *
 * Why ignoring ASCII case equals searching `text.toLowerCase()`: lower-casing maps ASCII letters to
 * ASCII letters, keeps every other ASCII character, and maps every non-ASCII character to non-ASCII
 * characters of the same length, except U+0130 (to `i` plus U+0307, two code units) and U+212A KELVIN
 * SIGN (to `k`). A text without those two lower-cases position by position, so an ASCII word occurs in
 * the lower-cased text exactly where it occurs in the text up to ASCII case, and the character after it
 * is whitespace in one exactly when it is in the other (whitespace has no case). `needsLowerCase`
 * tells the caller when to search the lower-cased text instead.
 */

/** What one scan found: per word, whether it occurs and whether it occurs right before whitespace. */
export interface HintScan {
  text: string;
  /** Per word: `FOUND`, `BEFORE_SPACE` bits; one-character words are searched when first asked. */
  flags: Uint8Array;
}

/**
 * Finds hint words in texts. The answers are methods of the scanner taking the scan, not closures made
 * per scan: a check runs on every message, and per-call closures showed in its fixed cost.
 */
export interface HintScanner {
  scan(text: string): HintScan;
  /** True when word number `index` (in the order given to `createHintScanner`) occurs. */
  has(found: HintScan, index: number): boolean;
  /** True when word number `index` (two or more characters) occurs right before whitespace (`\s`). */
  hasBeforeSpace(found: HintScan, index: number): boolean;
}

/** True when lower-casing `text` turns a non-ASCII character into ASCII (see above). */
export function needsLowerCase(text: string): boolean {
  return text.includes('\u0130') || text.includes('\u212a');
}

const FOUND = 1;
const BEFORE_SPACE = 2;
/** A one-character word has been searched for (its `FOUND` bit is then the answer). */
const SEARCHED = 4;

/** Positions scanned per byte copy of the text by default. */
const SCAN_CHUNK = 16_384;

function isLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

function variants(code: number): number[] {
  return isLetter(code) ? [code, code - 32] : [code];
}

/**
 * Builds a scanner for `words`: lower-case ASCII, at least one character; words of one character are
 * looked up with `includes` when asked (they cannot be told whether whitespace follows them).
 * `chunkSize` (positions per byte copy) exists so tests can cross chunk boundaries.
 */
export function createHintScanner(
  words: readonly string[],
  options: { chunkSize?: number } = {},
): HintScanner {
  const chunkSize = options.chunkSize ?? SCAN_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new AegisError(
      ERROR_CODES.INTERNAL,
      `hint scan chunk size must be a positive integer: ${chunkSize}`,
    );
  }
  for (const word of words) {
    if (word.length === 0 || !/^[\x00-\x7f]+$/.test(word) || word !== word.toLowerCase()) {
      throw new AegisError(ERROR_CODES.INTERNAL, `hint words must be lower-case ASCII: ${word}`);
    }
  }
  // Words of two or more characters, listed by the (masked) codes of their first two characters, and one
  // bit per first-three-character triple that may open one (any third character for two-letter words).
  const slots: (number[] | undefined)[] = new Array(128 * 128);
  const triples = new Uint32Array(1 << 16);
  words.forEach((word, index) => {
    if (word.length < 2) return;
    for (const a of variants(word.charCodeAt(0))) {
      for (const b of variants(word.charCodeAt(1))) {
        const slot = (a << 7) | b;
        const list = slots[slot] ?? [];
        if (!list.includes(index)) list.push(index);
        slots[slot] = list;
        const thirds =
          word.length > 2 ? variants(word.charCodeAt(2)) : Array.from({ length: 128 }, (_, c) => c);
        for (const c of thirds) {
          const key = (slot << 7) | c;
          triples[key >> 5]! |= 1 << (key & 31);
        }
      }
    }
  });
  // Latin-1 keeps one byte per UTF-16 code unit (its low 8 bits), so offsets are kept and the codes
  // masked to 7 bits are the ones the table is keyed by; a non-ASCII character can only add a candidate,
  // which the exact comparison in `visit` rejects.
  const chunk = new Uint8Array(chunkSize + 4);
  const chunkBuffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

  /** Marks the words that occur at `index` (a position the triple filter let through). */
  const visit = (text: string, index: number, flags: Uint8Array): void => {
    const first = text.charCodeAt(index);
    const second = text.charCodeAt(index + 1);
    if ((first | second) > 127) return;
    const list = slots[(first << 7) | second];
    if (list === undefined) return;
    for (const wordIndex of list) {
      if (flags[wordIndex] === (FOUND | BEFORE_SPACE)) continue;
      const word = words[wordIndex]!;
      let offset = 0;
      for (; offset < word.length; offset++) {
        let code = text.charCodeAt(index + offset);
        if (code >= 65 && code <= 90) code += 32;
        if (code !== word.charCodeAt(offset)) break;
      }
      if (offset < word.length) continue;
      flags[wordIndex]! |= FOUND;
      if (isWhitespace(text.charCodeAt(index + word.length))) flags[wordIndex]! |= BEFORE_SPACE;
    }
  };

  /** Visits `index + k` for every bit k set in `passed` (positions of one four-position step). */
  const visitPassed = (step: { text: string; index: number; passed: number; flags: Uint8Array }): void => {
    for (let bit = 0; bit < 4; bit++) {
      if (((step.passed >> bit) & 1) !== 0) visit(step.text, step.index + bit, step.flags);
    }
  };

  return {
    scan(text) {
      const flags = new Uint8Array(words.length);
      const bits = triples;
      const bytes = chunk;
      const length = text.length;
      for (let base = 0; base < length - 1; base += chunkSize) {
        const stop = Math.min(length - 1, base + chunkSize) - base;
        // The third character of the chunk's last position is 2 past it; past the text's end it reads 0.
        const copied = Math.min(length - base, stop + 2);
        chunkBuffer.write(text.slice(base, base + copied), 0, copied, 'latin1');
        bytes.fill(0, copied, copied + 2);
        let key = ((bytes[0]! & 127) << 7) | (bytes[1]! & 127);
        let offset = 0;
        // Four positions per step, their four filter bits in one word: one branch instead of four, and
        // the rare positions that pass are visited out of line, so the loop body stays small.
        for (; offset + 4 <= stop; offset += 4) {
          const key0 = ((key << 7) | (bytes[offset + 2]! & 127)) & 0x1fffff;
          const key1 = ((key0 << 7) | (bytes[offset + 3]! & 127)) & 0x1fffff;
          const key2 = ((key1 << 7) | (bytes[offset + 4]! & 127)) & 0x1fffff;
          const key3 = ((key2 << 7) | (bytes[offset + 5]! & 127)) & 0x1fffff;
          key = key3;
          const passed =
            ((bits[key0 >> 5]! >>> (key0 & 31)) & 1) |
            (((bits[key1 >> 5]! >>> (key1 & 31)) & 1) << 1) |
            (((bits[key2 >> 5]! >>> (key2 & 31)) & 1) << 2) |
            (((bits[key3 >> 5]! >>> (key3 & 31)) & 1) << 3);
          if (passed !== 0) visitPassed({ text, index: base + offset, passed, flags });
        }
        for (; offset < stop; offset++) {
          key = ((key << 7) | (bytes[offset + 2]! & 127)) & 0x1fffff;
          if (((bits[key >> 5]! >>> (key & 31)) & 1) === 0) continue;
          visit(text, base + offset, flags);
        }
      }
      return { text, flags };
    },
    has(found, index) {
      const word = words[index]!;
      if (word.length > 1) return (found.flags[index]! & FOUND) !== 0;
      // One-character words: a plain search, run only when a rule asks (most rules stop earlier).
      if ((found.flags[index]! & SEARCHED) === 0) {
        const code = word.charCodeAt(0);
        const { text } = found;
        const present =
          text.includes(word) || (isLetter(code) && text.includes(String.fromCharCode(code - 32)));
        found.flags[index] = SEARCHED | (present ? FOUND : 0);
      }
      return (found.flags[index]! & FOUND) !== 0;
    },
    hasBeforeSpace(found, index) {
      if (words[index]!.length === 1) {
        throw new AegisError(
          ERROR_CODES.INTERNAL,
          'one-character hints cannot be tested for a following space',
        );
      }
      return (found.flags[index]! & BEFORE_SPACE) !== 0;
    },
  };
}
