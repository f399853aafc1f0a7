import type { Readable } from 'node:stream';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';

/** One input line as raw bytes, or a marker that it was longer than the cap (its bytes were dropped). */
export interface InputLine {
  /** 1-based line number. */
  number: number;
  bytes: Buffer | undefined;
  /** True when the line exceeded the cap; `bytes` is then undefined. */
  tooLong: boolean;
}

/**
 * Splits a byte stream into lines (LF, with an optional CR before it) without ever holding more than
 * one line plus one read chunk, so memory stays flat on inputs of any size. Lines longer than
 * `maxLineBytes` are skipped up to their end and reported as too long. Yields lines in batches (one
 * per chunk read) to keep per-line overhead low. Stream errors become `INPUT_UNREADABLE`.
 */
export async function* readLines(options: {
  stream: Readable;
  maxLineBytes: number;
  name: string;
  /** Called with the size of every chunk read (for progress). */
  onChunk?: (bytes: number) => void;
}): AsyncGenerator<InputLine[]> {
  const { stream, maxLineBytes } = options;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let number = 0;
  const finishLine = (tail: Buffer, batch: InputLine[]): void => {
    number++;
    if (tooLong || pendingBytes + tail.length > maxLineBytes) {
      batch.push({ number, bytes: undefined, tooLong: true });
    } else {
      let bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
      batch.push({ number, bytes, tooLong: false });
    }
    pending = [];
    pendingBytes = 0;
    tooLong = false;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      options.onChunk?.(chunk.length);
      const batch: InputLine[] = [];
      let position = 0;
      while (position < chunk.length) {
        const newline = chunk.indexOf(10, position);
        if (newline === -1) {
          const rest = chunk.subarray(position);
          if (!tooLong && pendingBytes + rest.length > maxLineBytes) {
            tooLong = true;
            pending = [];
          }
          if (!tooLong) pending.push(rest);
          pendingBytes += rest.length;
          break;
        }
        finishLine(chunk.subarray(position, newline), batch);
        position = newline + 1;
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    if (error instanceof AegisError) throw error;
    throw new AegisError(
      ERROR_CODES.INPUT_UNREADABLE,
      `cannot read ${options.name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
  if (pendingBytes > 0 || tooLong) {
    const batch: InputLine[] = [];
    finishLine(Buffer.alloc(0), batch);
    yield batch;
  }
}
