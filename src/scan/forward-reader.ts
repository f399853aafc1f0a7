import type { ByteSource } from './byte-source.js';

const WINDOW_BYTES = 1024 * 1024;
// Buffer's slice decoders accept any Uint8Array and skip the TextDecoder and subarray allocations;
// they are several times faster for the short strings pickles are made of.
const decoders = Buffer.prototype as unknown as {
  latin1Slice(this: Uint8Array, start: number, end: number): string;
  utf8Slice(this: Uint8Array, start: number, end: number): string;
};

/** One character per byte (Latin-1). */
export function latin1Text(bytes: Uint8Array, start: number, end: number): string {
  return decoders.latin1Slice.call(bytes, start, end);
}

/** UTF-8 text; invalid sequences become U+FFFD as with TextDecoder. */
export function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  return decoders.utf8Slice.call(bytes, start, end);
}

/** Raised when the stream ends in the middle of an opcode. */
export class EndOfStream extends Error {
  constructor(readonly offset: number) {
    super(`stream ends at byte ${offset}`);
  }
}

/**
 * A forward reader over a byte source with a sliding window (pickle and GGUF streams). Large operands
 * (tensor bytes) are skipped by moving the position, never read.
 */
export class ForwardReader {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  position: number;

  constructor(
    private readonly source: ByteSource,
    start: number,
    private readonly end: number = source.size,
  ) {
    this.position = start;
  }

  get atEnd(): boolean {
    return this.position >= this.end;
  }

  get limit(): number {
    return this.end;
  }

  private fill(count: number): void {
    if (this.position + count > this.end) throw new EndOfStream(this.end);
    const length = Math.min(Math.max(WINDOW_BYTES, count), this.end - this.position);
    this.window = this.source.read(this.position, length);
    this.windowStart = this.position;
    if (this.window.length < count) throw new EndOfStream(this.position + this.window.length);
  }

  /** The next byte without consuming it. */
  peek(): number {
    let index = this.position - this.windowStart;
    if (index < 0 || index >= this.window.length) {
      this.fill(1);
      index = 0;
    }
    return this.window[index] as number;
  }

  /** Reads one byte. */
  byte(): number {
    const index = this.position - this.windowStart;
    if (index < 0 || index >= this.window.length) {
      this.fill(1);
      return this.window[this.position++ - this.windowStart] as number;
    }
    this.position++;
    return this.window[index] as number;
  }

  /** Reads `count` bytes (the caller bounds `count`). */
  bytes(count: number): Uint8Array {
    const index = this.take(count);
    return this.window.subarray(index, index + count);
  }

  /** Advances over `count` bytes that must be in the window and returns their index in it (no allocation). */
  private take(count: number): number {
    let index = this.position - this.windowStart;
    if (index < 0 || index + count > this.window.length) {
      this.fill(count);
      index = 0;
    }
    this.position += count;
    return index;
  }

  /**
   * Applies `test` to the next `count` bytes where they lie in the window, without copying them or
   * moving the position (the caller bounds `count`).
   */
  testAhead(count: number, test: (bytes: Uint8Array, start: number, end: number) => boolean): boolean {
    let index = this.position - this.windowStart;
    if (index < 0 || index + count > this.window.length) {
      this.fill(count);
      index = 0;
    }
    return test(this.window, index, index + count);
  }

  /** Skips `count` bytes without reading them. */
  skip(count: number): void {
    if (this.position + count > this.end) {
      this.position = this.end;
      throw new EndOfStream(this.end);
    }
    this.position += count;
  }

  uint16(): number {
    const index = this.take(2);
    const window = this.window;
    return (window[index] as number) | ((window[index + 1] as number) << 8);
  }

  uint32(): number {
    const index = this.take(4);
    const window = this.window;
    return (
      ((window[index] as number) |
        ((window[index + 1] as number) << 8) |
        ((window[index + 2] as number) << 16)) +
      (window[index + 3] as number) * 0x1000000
    );
  }

  /** Reads `count` bytes as text, one character per byte (Latin-1), without an intermediate copy. */
  latin1(count: number): string {
    const index = this.take(count);
    return latin1Text(this.window, index, index + count);
  }

  /** Reads `count` bytes as UTF-8 text. */
  utf8(count: number): string {
    const index = this.take(count);
    return utf8Text(this.window, index, index + count);
  }

  int32(): number {
    const value = this.uint32();
    return value >= 0x80000000 ? value - 0x100000000 : value;
  }

  /** Reads a little-endian uint64 as a number (exact up to 2^53; larger values are out of range anyway). */
  uint64(): number {
    const low = this.uint32();
    const high = this.uint32();
    return high * 0x100000000 + low;
  }

  /** A newline-terminated line as Latin-1 text (fast path inside the window), or null when too long. */
  lineText(maxLength: number): string | null {
    let index = this.position - this.windowStart;
    if (index < 0 || index >= this.window.length) {
      this.fill(1);
      index = 0;
    }
    const window = this.window;
    const limit = Math.min(window.length, index + maxLength + 1);
    for (let cursor = index; cursor < limit; cursor++) {
      if (window[cursor] === 0x0a) {
        this.position += cursor - index + 1;
        return latin1Text(window, index, cursor);
      }
    }
    const bytes = this.line(maxLength);
    return bytes === null ? null : latin1Text(bytes, 0, bytes.length);
  }

  /**
   * Reads a newline-terminated line (protocol 0 operands), without the newline. Returns null when no
   * newline comes within `maxLength` bytes.
   */
  line(maxLength: number): Uint8Array | null {
    const start = this.position;
    for (let length = 0; length <= maxLength; length++) {
      if (this.byte() === 0x0a) {
        const saved = this.position;
        this.position = start;
        const result = this.bytes(length).slice();
        this.position = saved;
        return result;
      }
    }
    return null;
  }
}
