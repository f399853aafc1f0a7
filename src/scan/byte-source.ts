import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/**
 * Random-access bytes: a file read with positional reads, or a buffer (an inflated archive member).
 * Reads are synchronous on purpose: parsers pull a few bytes at a time and a promise per read would
 * cost more than the read itself; tensor payloads are skipped by offset and never read.
 */
export interface ByteSource {
  readonly size: number;
  /** Reads up to `length` bytes at `offset`; shorter only at end of source. */
  read(offset: number, length: number): Uint8Array;
  /** Bytes actually read so far (for benchmarks and tests proving data was skipped). */
  readonly bytesRead: number;
}

/** A byte source over an in-memory buffer. */
export function createBufferSource(bytes: Uint8Array): ByteSource {
  let bytesRead = 0;
  return {
    size: bytes.length,
    read(offset, length) {
      const start = Math.max(0, Math.min(offset, bytes.length));
      const end = Math.max(start, Math.min(start + Math.max(0, length), bytes.length));
      bytesRead += end - start;
      return bytes.subarray(start, end);
    },
    get bytesRead() {
      return bytesRead;
    },
  };
}

/** A file opened for positional reads; call `close` when done. */
export interface FileSource extends ByteSource {
  close(): void;
}

/** Opens `path` for positional reads. */
export function openFileSource(path: string): FileSource {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch (error) {
    throw new AegisError(ERROR_CODES.SCAN_UNREADABLE, `cannot open ${path}`, { cause: error });
  }
  const size = fstatSync(descriptor).size;
  let bytesRead = 0;
  let closed = false;
  return {
    size,
    read(offset, length) {
      const start = Math.max(0, Math.min(offset, size));
      const wanted = Math.max(0, Math.min(length, size - start));
      const buffer = Buffer.allocUnsafe(wanted);
      let filled = 0;
      while (filled < wanted) {
        const count = readSync(descriptor, buffer, filled, wanted - filled, start + filled);
        if (count === 0) break;
        filled += count;
      }
      bytesRead += filled;
      return filled === wanted ? buffer : buffer.subarray(0, filled);
    },
    get bytesRead() {
      return bytesRead;
    },
    close() {
      if (!closed) closeSync(descriptor);
      closed = true;
    },
  };
}

/** A window onto part of another source (a stored zip member, a tar entry, a legacy tail). */
export function createSliceSource(options: {
  source: ByteSource;
  offset: number;
  length: number;
}): ByteSource {
  const { source, offset } = options;
  const size = Math.max(0, Math.min(options.length, source.size - offset));
  return {
    size,
    read(start, length) {
      const clampedStart = Math.max(0, Math.min(start, size));
      const clampedLength = Math.max(0, Math.min(length, size - clampedStart));
      return source.read(offset + clampedStart, clampedLength);
    },
    get bytesRead() {
      return source.bytesRead;
    },
  };
}
