/**
 * Decoders for data smuggled in invisible code points.
 *
 * Tag characters (U+E0000–E007F, Unicode 15 chapter 23.9) mirror ASCII: U+E0041 is an invisible "A". They
 * are legitimate only inside emoji tag sequences (subdivision flags such as 🏴 + "gbeng" + CANCEL TAG).
 * Variation-selector smuggling encodes one byte per selector: VS1–VS16 (U+FE00–FE0F) carry 0–15 and
 * VS17–VS256 (U+E0100–E01EF) carry 16–255, a run of them after one visible character holds a UTF-8 string.
 */

/** Longest hidden text kept in a finding. */
export const HIDDEN_TEXT_LIMIT = 200;

/** ASCII text carried by a run of tag characters (printable characters only), truncated. */
export function decodeTagRun(run: string): string {
  let decoded = '';
  for (const char of run) {
    const codePoint = char.codePointAt(0) ?? 0;
    const ascii = codePoint - 0xe0000;
    if (ascii >= 0x20 && ascii <= 0x7e) decoded += String.fromCharCode(ascii);
    else if (ascii === 0x0a || ascii === 0x09) decoded += ' ';
    if (decoded.length >= HIDDEN_TEXT_LIMIT) break;
  }
  return decoded;
}

/** Byte value carried by a variation selector, or -1. */
export function variationSelectorByte(codePoint: number): number {
  if (codePoint >= 0xfe00 && codePoint <= 0xfe0f) return codePoint - 0xfe00;
  if (codePoint >= 0xe0100 && codePoint <= 0xe01ef) return codePoint - 0xe0100 + 16;
  return -1;
}

/** Text carried by a run of variation selectors read as UTF-8 bytes; printable characters only, truncated. */
export function decodeVariationSelectorRun(run: string): string {
  const bytes: number[] = [];
  for (const char of run) {
    const value = variationSelectorByte(char.codePointAt(0) ?? 0);
    if (value >= 0) bytes.push(value);
    if (bytes.length >= HIDDEN_TEXT_LIMIT * 4) break;
  }
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes));
  return decoded.replace(/[\p{Cc}\p{Cf}\uFFFD]/gu, '').slice(0, HIDDEN_TEXT_LIMIT);
}
