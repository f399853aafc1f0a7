import { endianness } from 'node:os';

/**
 * The UTF-16 code units of a string in a reused typed array, followed by a 0 terminator. A hot scan reads
 * an `Int`/`Uint16Array` element faster than `String.prototype.charCodeAt` (which must dispatch on the
 * string's representation on every call), and Node copies the units natively (`Buffer#write` with
 * `utf16le` keeps lone surrogates as they are), so the copy costs far less than the scan saves.
 */

/** Texts longer than this get a one-off array, so one huge text does not pin its memory. */
const MAX_REUSED_UNITS = 1 << 20;
const LITTLE_ENDIAN = endianness() === 'LE';

let reused = new Uint16Array(4096);
let reusedBytes = Buffer.from(reused.buffer);

/**
 * `text`'s code units at `[0, text.length)` and 0 at `text.length`. The array is shared: it is valid
 * until the next call, so callers read it synchronously and keep no reference.
 */
export function codeUnits(text: string): Uint16Array {
  const needed = text.length + 1;
  let units: Uint16Array;
  let bytes: Buffer;
  if (needed <= reused.length) {
    units = reused;
    bytes = reusedBytes;
  } else if (needed <= MAX_REUSED_UNITS) {
    let size = reused.length;
    while (size < needed) size *= 2;
    reused = new Uint16Array(size);
    reusedBytes = Buffer.from(reused.buffer);
    units = reused;
    bytes = reusedBytes;
  } else {
    units = new Uint16Array(needed);
    bytes = Buffer.from(units.buffer);
  }
  if (LITTLE_ENDIAN) bytes.write(text, 0, 'utf16le');
  else for (let index = 0; index < text.length; index++) units[index] = text.charCodeAt(index);
  units[text.length] = 0;
  return units;
}
