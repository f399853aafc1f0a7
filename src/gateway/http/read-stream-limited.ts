import type { Readable } from 'node:stream';
import { ERROR_CODES } from '../../spec/errors.js';
import { gatewayError } from './api-error.js';

/** Reads a whole upstream body into a Buffer, failing (and destroying the stream) past `limitBytes`. */
export async function readStreamLimited(stream: Readable, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      stream.destroy();
      throw gatewayError(ERROR_CODES.UPSTREAM_ERROR, `upstream response exceeds ${limitBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}
