const DOT = 0x2e;
const UNDERSCORE = 0x5f;
const MAX_NAME_BYTES = 4096;
const MAX_SEGMENT_BYTES = 201;
const MAX_SEGMENTS = 65;
// "latin-1" is the one meaningful text that is not a dotted name (the _codecs.encode idiom).
const LATIN_DASH_ONE = [0x6c, 0x61, 0x74, 0x69, 0x6e, 0x2d, 0x31];

/**
 * True when pickle text held in `bytes[start, end)` can decide safety, so it must be decoded and kept:
 * a dotted Python name that GLOBAL/STACK_GLOBAL could import (the byte form of `DOTTED_NAME` in
 * classify-global.ts), the "latin-1" encoding of the _codecs idiom, or the start of a base64 ("gA…") or
 * hex ("80…") pickle. Everything else (tensor names with numeric parts, storage keys "0", "1", …,
 * dtype strings, free text) can only fail an import, so the emulator keeps a shared marker instead of
 * a string; state dicts are millions of such values and decoding and keeping them dominated scan time.
 */
export function isMeaningfulText(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0 || length > MAX_NAME_BYTES) return length >= 16 && isEncodedPickleStart(bytes, start);
  if (length >= 16 && isEncodedPickleStart(bytes, start)) return true;
  return isDottedNameBytes(bytes, start, end) || isLatinDashOne(bytes, start, length);
}

function isEncodedPickleStart(bytes: Uint8Array, start: number): boolean {
  const first = bytes[start] as number;
  return (first === 0x67 && bytes[start + 1] === 0x41) || first === 0x38;
}

function isLatinDashOne(bytes: Uint8Array, start: number, length: number): boolean {
  if (length !== LATIN_DASH_ONE.length) return false;
  for (let index = 0; index < length; index++) {
    if (bytes[start + index] !== LATIN_DASH_ONE[index]) return false;
  }
  return true;
}

/** `^[A-Za-z_][A-Za-z0-9_]{0,200}(\.[A-Za-z_][A-Za-z0-9_]{0,200}){0,64}$` over ASCII bytes. */
function isDottedNameBytes(bytes: Uint8Array, start: number, end: number): boolean {
  let segmentLength = 0;
  let segments = 1;
  for (let index = start; index < end; index++) {
    const byte = bytes[index] as number;
    if (byte === DOT) {
      if (segmentLength === 0 || ++segments > MAX_SEGMENTS) return false;
      segmentLength = 0;
      continue;
    }
    const lower = byte | 0x20;
    const isLetter = (lower >= 0x61 && lower <= 0x7a) || byte === UNDERSCORE;
    if (!isLetter && (segmentLength === 0 || byte < 0x30 || byte > 0x39)) return false;
    if (++segmentLength > MAX_SEGMENT_BYTES) return false;
  }
  return segmentLength > 0;
}
