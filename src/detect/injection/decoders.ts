/**
 * Decoders that reveal payloads hidden from keyword filters. Segment decoders find encoded runs inside a
 * text (base64 RFC 4648 §4/§5, hex, URL percent-encoding RFC 3986 §2.1, HTML numeric character
 * references, `\uXXXX` escapes) and decode them; whole-text transforms (rot13, leetspeak, reversed text)
 * rewrite the text in place. The rule signal re-scans what they return, bounded in depth and size.
 */

/** Name of a decoding step, as listed in a finding's `decodedFrom`. */
export type DecoderName =
  | 'base64'
  | 'hex'
  | 'url-encoding'
  | 'html-entities'
  | 'unicode-escapes'
  | 'rot13'
  | 'leetspeak'
  | 'reversed';

/** A decoded run: its span in the scanned text and the text it decodes to. */
export interface DecodedSegment {
  readonly decoder: DecoderName;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Largest encoded run that is decoded; longer runs are decoded up to this length. */
export const MAX_SEGMENT_LENGTH = 65_536;

const HEX =
  /(?<![0-9A-Za-z])(?:\\x|0x)?[0-9a-fA-F]{2}(?:(?:[ :,]|\\x|0x)?[0-9a-fA-F]{2}){7,32768}(?![0-9A-Za-z])/g;
const URL_ENCODED = /(?:%[0-9a-fA-F]{2}[^\s%]{0,64}){3,8192}/g;
const HTML_ENTITIES = /(?:&#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7});\s?){4,8192}/g;
const UNICODE_ESCAPES = /(?:\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]{1,6}\}){4,8192}/g;
const ENCODED_TOKEN = /^[A-Za-z0-9+/=_%&#;\\-]{16,65536}$/;
/** Seven hex byte pairs each followed by a space, colon or comma (bounded, no nested quantifier). */
const SEPARATED_HEX_PAIRS = /[0-9a-fA-F]{2}[ :,](?:[0-9a-fA-F]{2}[ :,]){6}/;

/** Every pattern the decoders use, for the ReDoS check. */
export const DECODER_PATTERNS: readonly RegExp[] = [
  HEX,
  URL_ENCODED,
  HTML_ENTITIES,
  UNICODE_ESCAPES,
  ENCODED_TOKEN,
  SEPARATED_HEX_PAIRS,
];

const utf8 = new TextDecoder('utf-8');

/** True when decoded bytes read as natural text rather than binary noise. */
export function looksLikeText(text: string): boolean {
  if (text.length < 6) return false;
  if (/[\p{Cc}\p{Cn}\p{Co}\uFFFD]/u.test(text.replace(/[\n\r\t]/g, ''))) return false;
  const plain = text.match(/[\p{L}\p{N}\s.,;:!?'"()-]/gu)?.length ?? 0;
  return plain / text.length >= 0.8 && /\p{L}{2}/u.test(text) && /\s/.test(text.trim());
}

/** True when decoded text is itself one encoded token (a payload encoded twice, e.g. base64 inside hex). */
export function looksEncoded(text: string): boolean {
  return ENCODED_TOKEN.test(text.trim());
}

/** UTF-8 text of the bytes, or undefined when they are not valid UTF-8 (checked without exceptions). */
function decodeBytes(bytes: Uint8Array): string | undefined {
  const text = utf8.decode(bytes);
  return text.includes('\uFFFD') ? undefined : text;
}

function decodeBase64(run: string): string | undefined {
  // Encoded text mixes cases (and usually digits); long plain words and identifiers do not.
  if (!/[a-z]/.test(run) || !/[A-Z]/.test(run) || !/[0-9+/=_-]|[a-z][A-Z]{2}/.test(run)) return undefined;
  const standard = run.replaceAll('-', '+').replaceAll('_', '/');
  return decodeBytes(Buffer.from(standard, 'base64'));
}

function decodeHex(run: string): string | undefined {
  const digits = run.replace(/\\x|0x|[ :,]/g, '');
  if (digits.length % 2 !== 0) return undefined;
  return decodeBytes(Buffer.from(digits, 'hex'));
}

function decodeUrl(run: string): string | undefined {
  try {
    return decodeURIComponent(run.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

function decodeHtmlEntities(run: string): string | undefined {
  let result = '';
  for (const match of run.matchAll(/&#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});(\s?)/g)) {
    const body = match[1] ?? '';
    const codePoint =
      body.startsWith('x') || body.startsWith('X') ? Number.parseInt(body.slice(1), 16) : Number(body);
    if (!(codePoint >= 0 && codePoint <= 0x10ffff)) return undefined;
    result += String.fromCodePoint(codePoint) + (match[2] ?? '');
  }
  return result;
}

function decodeUnicodeEscapes(run: string): string | undefined {
  let result = '';
  for (const match of run.matchAll(/\\u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/g)) {
    const codePoint = Number.parseInt(match[1] ?? match[2] ?? '', 16);
    if (!(codePoint >= 0 && codePoint <= 0x10ffff)) return undefined;
    result += String.fromCodePoint(codePoint);
  }
  return result;
}

interface SegmentDecoder {
  name: DecoderName;
  /** A substring every run contains, checked with `includes` before the pattern runs. */
  marker?: string;
  pattern: RegExp;
  decode(run: string): string | undefined;
}

const SEGMENT_DECODERS: readonly SegmentDecoder[] = [
  { name: 'hex', pattern: HEX, decode: decodeHex },
  { name: 'url-encoding', marker: '%', pattern: URL_ENCODED, decode: decodeUrl },
  { name: 'html-entities', marker: '&#', pattern: HTML_ENTITIES, decode: decodeHtmlEntities },
  { name: 'unicode-escapes', marker: '\\u', pattern: UNICODE_ESCAPES, decode: decodeUnicodeEscapes },
];

const MIN_RUN = 16;

/** 1 for the base64 alphabet (standard and URL-safe, without padding), by char code below 128. */
const BASE64_ALPHABET = (() => {
  const table = new Uint8Array(128);
  for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') {
    table[char.charCodeAt(0)] = 1;
  }
  return table;
})();

function isBase64Char(code: number): boolean {
  return code < 128 && BASE64_ALPHABET[code] === 1;
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/**
 * Runs of the base64 alphabet (standard and URL-safe) of at least 16 characters, with their `=` padding,
 * found by one pass over char codes. Contiguous hex is a subset and is told apart by the caller.
 */
function alphabetRuns(text: string): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let index = 0; index <= text.length; index++) {
    if (index < text.length && isBase64Char(text.charCodeAt(index))) {
      if (start < 0) start = index;
      continue;
    }
    if (start >= 0 && index - start >= MIN_RUN) {
      let end = index;
      while (end < text.length && end - index < 2 && text.charCodeAt(end) === 61) end++;
      runs.push([start, end]);
    }
    start = -1;
  }
  return runs;
}

/**
 * True when the text holds eight hex byte pairs in a row with separators or `\x`/`0x` prefixes. The regex
 * finds seven pair-and-separator triples in a row, which is what a greedy scan over char codes counts
 * (two triples cannot overlap: a separator is not a hex digit), several times faster in the regex engine.
 */
function hasSeparatedHex(text: string, evidence?: DecoderEvidence): boolean {
  // The regex matches exactly where seven such groups stand in a row.
  if (evidence) return evidence.hexPrefix || evidence.separatedHex;
  if (text.includes('\\x') || text.includes('0x')) return true;
  return SEPARATED_HEX_PAIRS.test(text);
}

/** Value of a hex digit char code (the caller has checked it is one). */
function hexValue(code: number): number {
  return code <= 57 ? code - 48 : (code | 0x20) - 87;
}

/**
 * False when the bytes spelled by `digits` (an even number of hex digits) are certainly not UTF-8, so the
 * decoder would put U+FFFD in their text and `decodeBytes` would return undefined. Every rejection is an
 * error in the WHATWG UTF-8 decoder: a continuation byte (80–BF) where a sequence starts, a byte that
 * starts none (C0, C1, F5–FF), a sequence cut short or continued by a byte outside 80–BF. The finer
 * rules (overlong E0/F0 forms, surrogates, F4 limits) are left to the decoder. Hex digests and ids are
 * the usual contiguous hex runs; their random bytes fail here within a few bytes, before any buffer is
 * made.
 */
export function mayBeUtf8Hex(digits: string): boolean {
  let pending = 0;
  for (let index = 0; index < digits.length; index += 2) {
    const byte = (hexValue(digits.charCodeAt(index)) << 4) | hexValue(digits.charCodeAt(index + 1));
    if (pending > 0) {
      if (byte < 0x80 || byte > 0xbf) return false;
      pending--;
    } else if (byte >= 0x80) {
      if (byte < 0xc2 || byte > 0xf4) return false;
      pending = byte < 0xe0 ? 1 : byte < 0xf0 ? 2 : 3;
    }
  }
  return pending === 0;
}

function decodeRun(run: string): { decoder: DecoderName; text: string } | undefined {
  let hex = run.length % 2 === 0;
  for (let index = 0; hex && index < run.length; index++) hex = isHexDigit(run.charCodeAt(index));
  if (hex) {
    if (!mayBeUtf8Hex(run)) return undefined;
    const decoded = decodeHex(run);
    return decoded === undefined ? undefined : { decoder: 'hex', text: decoded };
  }
  const decoded = decodeBase64(run);
  return decoded === undefined ? undefined : { decoder: 'base64', text: decoded };
}

/** Keeps a decoded run that changed and reads as natural text or as another encoded token. */
function accept(segments: DecodedSegment[], segment: DecodedSegment, run: string): void {
  if (segment.text === run) return;
  if (!looksLikeText(segment.text) && !looksEncoded(segment.text)) return;
  segments.push(segment);
}

/**
 * What a single pass over a text (`text-evidence.ts`) already knows, so the decoders need not scan the
 * text again: exactly the base64-alphabet runs `alphabetRuns` finds and whether the markers occur.
 */
export interface DecoderEvidence {
  /** Runs of the base64 alphabet of at least 16 chars, with up to two `=` of padding. */
  readonly base64Runs: readonly (readonly [number, number])[];
  /**
   * Tokens (maximal runs of ASCII letters, digits, `@`, `$`) that mix letters with the others and are at
   * most 24 chars long, as flat `start, end` pairs.
   */
  readonly leetTokens: readonly number[];
  /** The text contains `%`. */
  readonly percent: boolean;
  /** The text contains `&#`. */
  readonly entity: boolean;
  /** The text contains `\u`. */
  readonly unicodeEscape: boolean;
  /** The text contains `\x` or `0x`. */
  readonly hexPrefix: boolean;
  /** Seven hex digit pairs in a row, each followed by a space, `:` or `,`: `SEPARATED_HEX_PAIRS` matches. */
  readonly separatedHex: boolean;
}

/** Whether each marker-gated decoder can find anything, by what the evidence (or `includes`) says. */
function markerPresent(text: string, marker: string, evidence: DecoderEvidence | undefined): boolean {
  if (!evidence) return text.includes(marker);
  if (marker === '%') return evidence.percent;
  if (marker === '&#') return evidence.entity;
  if (marker === '\\u') return evidence.unicodeEscape;
  return text.includes(marker);
}

/**
 * Encoded runs in `text` that decode to natural text, at most `limit` of them. `evidence`, when given, must
 * come from one scan of this same text; it spares the decoders their own passes.
 */
export function decodeSegments(text: string, limit: number, evidence?: DecoderEvidence): DecodedSegment[] {
  const segments: DecodedSegment[] = [];
  // Most texts show no evidence of any encoding: nothing to decode (and nothing to allocate).
  if (
    evidence &&
    evidence.base64Runs.length === 0 &&
    !evidence.percent &&
    !evidence.entity &&
    !evidence.unicodeEscape &&
    !hasSeparatedHex(text, evidence)
  ) {
    return segments;
  }
  for (const [start, end] of evidence ? evidence.base64Runs : alphabetRuns(text)) {
    if (segments.length >= limit) return segments;
    const run = text.slice(start, Math.min(end, start + MAX_SEGMENT_LENGTH));
    const decoded = decodeRun(run);
    if (decoded) accept(segments, { decoder: decoded.decoder, start, end, text: decoded.text }, run);
  }
  for (const decoder of SEGMENT_DECODERS) {
    if (decoder.marker !== undefined && !markerPresent(text, decoder.marker, evidence)) continue;
    if (decoder.name === 'hex' && !hasSeparatedHex(text, evidence)) continue;
    decoder.pattern.lastIndex = 0;
    for (const match of text.matchAll(decoder.pattern)) {
      if (segments.length >= limit) return segments;
      let start = match.index;
      // A percent-encoded run often starts mid-word ("ignore%20previous"): take the word before it too.
      if (decoder.name === 'url-encoding') {
        while (start > 0 && match.index - start < 64 && !/[\s%]/.test(text[start - 1] ?? ' ')) start--;
      }
      const end = match.index + match[0].length;
      // Contiguous hex was decoded with the alphabet runs above.
      if (decoder.name === 'hex' && segments.some((segment) => segment.start <= start && segment.end >= end))
        continue;
      const run = text.slice(start, Math.min(end, start + MAX_SEGMENT_LENGTH));
      const decoded = decoder.decode(run);
      if (decoded !== undefined) accept(segments, { decoder: decoder.name, start, end, text: decoded }, run);
    }
  }
  return segments;
}

/** ROT13 (letters rotated by 13 places); length-preserving. */
export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
};

/** Class of ASCII char codes for the leet token scan: 1 letter, 2 leet character, 0 other. */
const LEET_CLASS = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    if (isAsciiLetterCode(code)) table[code] = 1;
    else if (isLeetChar(code)) table[code] = 2;
  }
  return table;
})();

function isLeetChar(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 64 || code === 36;
}

function isAsciiLetterCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/**
 * Leetspeak folded to letters in words that mix letters with digits, `@` or `$` ("1gn0r3", "4ll"); plain
 * numbers stay numbers. Length-preserving. Undefined when nothing changes, or when `keywords` is given
 * and no folded word is one of them. One pass over char codes.
 */
export function unleet(text: string, keywords?: ReadonlySet<string>): string | undefined {
  // First pass without building anything: is there a mixed token at all (and one that folds to a keyword)?
  let longest = 0;
  for (const keyword of keywords ?? []) longest = Math.max(longest, keyword.length);
  let wanted = false;
  forEachLeetToken(text, (start, end) => {
    if (keywords === undefined) wanted = true;
    else if (end - start <= longest && keywords.has(foldLeet(text, start, end).toLowerCase())) wanted = true;
    return wanted;
  });
  if (!wanted) return undefined;
  const parts: string[] = [];
  let copied = 0;
  forEachLeetToken(text, (start, end) => {
    parts.push(text.slice(copied, start), foldLeet(text, start, end));
    copied = end;
    return false;
  });
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * False when the evidence proves `unleet(text, keywords)` is undefined: no listed token folds to a keyword.
 * `unleet` folds only tokens mixing letters with leet characters and, given keywords, needs one no longer
 * than the longest keyword; the evidence lists every such token up to 24 chars.
 */
export function mayUnleet(text: string, evidence: DecoderEvidence, keywords: ReadonlySet<string>): boolean {
  const tokens = evidence.leetTokens;
  if (tokens.length === 0) return false;
  // Folding keeps lengths: only tokens as long as some keyword can fold to one. Each is folded char by
  // char against the keywords of its length, as `foldLeet(…).toLowerCase()` would spell it, without
  // building the string.
  const byLength = keywordsByLength(keywords);
  for (const length of byLength.keys()) if (length > 24) return true;
  for (let index = 0; index < tokens.length; index += 2) {
    const start = tokens[index]!;
    const end = tokens[index + 1]!;
    const candidates = byLength.get(end - start);
    if (candidates === undefined) continue;
    for (const keyword of candidates) {
      let offset = 0;
      while (
        offset < keyword.length &&
        foldedCode(text.charCodeAt(start + offset)) === keyword.charCodeAt(offset)
      )
        offset++;
      if (offset === keyword.length) return true;
    }
  }
  return false;
}

/** Char code of the lowercase leet fold of one token char (letters lowercased, `LEET` applied). */
const FOLDED = (() => {
  const table = new Int32Array(128);
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code);
    table[code] = (LEET[char] ?? char).toLowerCase().charCodeAt(0);
  }
  return table;
})();

function foldedCode(code: number): number {
  return code < 128 ? FOLDED[code]! : code;
}

const keywordLengthMaps = new WeakMap<ReadonlySet<string>, ReadonlyMap<number, readonly string[]>>();

/** The keywords of a set by length, computed once per set. */
function keywordsByLength(keywords: ReadonlySet<string>): ReadonlyMap<number, readonly string[]> {
  let byLength = keywordLengthMaps.get(keywords);
  if (!byLength) {
    const map = new Map<number, string[]>();
    for (const keyword of keywords) map.set(keyword.length, [...(map.get(keyword.length) ?? []), keyword]);
    byLength = map;
    keywordLengthMaps.set(keywords, byLength);
  }
  return byLength;
}

function foldLeet(text: string, start: number, end: number): string {
  let folded = '';
  for (let position = start; position < end; position++) {
    const char = text[position] ?? '';
    folded += LEET[char] ?? char;
  }
  return folded;
}

/** Calls `visit` for each token (≤ 64 chars) mixing ASCII letters with leet characters; stops when it returns true. */
function forEachLeetToken(text: string, visit: (start: number, end: number) => boolean): void {
  let start = -1;
  let letters = 0;
  let leet = 0;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : 0;
    const kind = code < 128 ? LEET_CLASS[code]! : 0;
    const letter = kind === 1;
    if (kind !== 0) {
      if (start < 0) {
        start = index;
        letters = 0;
        leet = 0;
      }
      if (letter) letters++;
      else leet++;
      continue;
    }
    if (start >= 0 && letters >= 1 && leet >= 1 && index - start <= 64 && visit(start, index)) return;
    start = -1;
  }
}

/** The text read backwards (by code unit; spans map as `[length - end, length - start)`). */
export function reverseText(text: string): string {
  return text.split('').reverse().join('');
}
