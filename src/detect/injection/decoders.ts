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

const BASE64 = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,65536}={0,2}/g;
const HEX =
  /(?<![0-9A-Za-z])(?:\\x|0x)?[0-9a-fA-F]{2}(?:(?:[ :,]|\\x|0x)?[0-9a-fA-F]{2}){7,32768}(?![0-9A-Za-z])/g;
const URL_ENCODED = /(?:%[0-9a-fA-F]{2}[^\s%]{0,64}){3,8192}/g;
const HTML_ENTITIES = /(?:&#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7});\s?){4,8192}/g;
const UNICODE_ESCAPES = /(?:\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]{1,6}\}){4,8192}/g;
const ENCODED_TOKEN = /^[A-Za-z0-9+/=_%&#;\\-]{16,65536}$/;
/** A word with two leetspeak substitutions around letters ("1gn0re", "pr3v10us"): worth unleeting. */
export const LEET_HINT = /[a-z]{0,12}[0134578@$][a-z]{1,12}[0134578@$]/i;
const LEET_TOKEN = /[a-z0-9@$]{2,64}/gi;
const HAS_LEET = /[0-9@$]/;
const HAS_LETTER = /[a-z]/i;

/** Every pattern the decoders use, for the ReDoS check. */
export const DECODER_PATTERNS: readonly RegExp[] = [
  BASE64,
  HEX,
  URL_ENCODED,
  HTML_ENTITIES,
  UNICODE_ESCAPES,
  LEET_TOKEN,
  ENCODED_TOKEN,
  LEET_HINT,
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

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

function decodeBytes(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
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
  { name: 'base64', pattern: BASE64, decode: decodeBase64 },
  { name: 'hex', pattern: HEX, decode: decodeHex },
  { name: 'url-encoding', marker: '%', pattern: URL_ENCODED, decode: decodeUrl },
  { name: 'html-entities', marker: '&#', pattern: HTML_ENTITIES, decode: decodeHtmlEntities },
  { name: 'unicode-escapes', marker: '\\u', pattern: UNICODE_ESCAPES, decode: decodeUnicodeEscapes },
];

/** Encoded runs in `text` that decode to natural text, at most `limit` of them. */
export function decodeSegments(text: string, limit: number): DecodedSegment[] {
  const segments: DecodedSegment[] = [];
  for (const decoder of SEGMENT_DECODERS) {
    if (decoder.marker !== undefined && !text.includes(decoder.marker)) continue;
    decoder.pattern.lastIndex = 0;
    for (const match of text.matchAll(decoder.pattern)) {
      if (segments.length >= limit) return segments;
      let start = match.index;
      // A percent-encoded run often starts mid-word ("ignore%20previous"): take the word before it too.
      if (decoder.name === 'url-encoding') {
        while (start > 0 && match.index - start < 64 && !/[\s%]/.test(text[start - 1] ?? ' ')) start--;
      }
      const run = text.slice(start, Math.min(match.index + match[0].length, start + MAX_SEGMENT_LENGTH));
      const decoded = decoder.decode(run);
      if (decoded === undefined || decoded === run) continue;
      if (!looksLikeText(decoded) && !looksEncoded(decoded)) continue;
      segments.push({ decoder: decoder.name, start, end: match.index + match[0].length, text: decoded });
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

/**
 * Leetspeak folded to letters in tokens that mix letters with digits or symbols ("1gn0r3"); plain numbers
 * stay numbers. Length-preserving. Undefined when nothing changes.
 */
export function unleet(text: string): string | undefined {
  if (!HAS_LEET.test(text)) return undefined;
  let changed = false;
  const result = text.replace(LEET_TOKEN, (token) => {
    if (!HAS_LETTER.test(token) || !HAS_LEET.test(token)) return token;
    changed = true;
    let folded = '';
    for (const char of token) folded += LEET[char] ?? char;
    return folded;
  });
  return changed ? result : undefined;
}

/** The text read backwards (by code unit; spans map as `[length - end, length - start)`). */
export function reverseText(text: string): string {
  return text.split('').reverse().join('');
}
