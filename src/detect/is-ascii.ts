import { Buffer } from 'node:buffer';

/**
 * True when every UTF-16 code unit of `text` is below 0x80. Any other unit (lone surrogates included)
 * takes two or more bytes in UTF-8, so the UTF-8 length equals the string length exactly for ASCII text.
 * Node counts that length with SIMD, several times faster than a regex scan for `[^\x00-\x7f]`, and
 * every detector asks this of every text.
 */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}
