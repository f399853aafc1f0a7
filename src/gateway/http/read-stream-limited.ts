import { ERROR_CODES } from '../../spec/errors.js';
import type { UpstreamBody } from '../routing/upstream-body.js';
import { gatewayError } from './api-error.js';

/**
 * Reads a whole upstream body into a Buffer, failing (and destroying the stream) past `limitBytes`.
 * Event-based rather than `for await`, which costs a promise per chunk on the hot path.
 */
export function readStreamLimited(stream: UpstreamBody, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        stream.destroy();
        reject(gatewayError(ERROR_CODES.UPSTREAM_ERROR, `upstream response exceeds ${limitBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)),
    );
    stream.once('error', (error: Error) => {
      const timeout = (error as NodeJS.ErrnoException).code === 'UND_ERR_BODY_TIMEOUT';
      reject(
        gatewayError(
          timeout ? ERROR_CODES.UPSTREAM_TIMEOUT : ERROR_CODES.UPSTREAM_ERROR,
          timeout ? 'the upstream stopped sending (timeout)' : 'the upstream response failed',
        ),
      );
    });
  });
}
