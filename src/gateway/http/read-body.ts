import type { IncomingMessage } from 'node:http';
import { ERROR_CODES } from '../../spec/errors.js';
import { gatewayError } from './api-error.js';

/** Options of `readBody`. */
export interface ReadBodyOptions {
  limitBytes: number;
}

/** True when the content type is JSON (`application/json`, optionally with parameters). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const semicolon = value.indexOf(';');
  const media = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return media === 'application/json';
}

/**
 * Reads a request body into one Buffer. Rejects early from `content-length` when it exceeds the limit,
 * and stops reading (without buffering more) as soon as a chunked body passes it, so memory stays bounded.
 * Slow senders are cut off by the server's `requestTimeout` (no timer per request here).
 */
export function readBody(request: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > options.limitBytes) {
    return Promise.reject(
      gatewayError(ERROR_CODES.BODY_TOO_LARGE, `request body exceeds ${options.limitBytes} bytes`, {
        limit: options.limitBytes,
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    function finish(error?: Error): void {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      if (error) {
        request.pause();
        reject(error);
      } else {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      }
    }
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > options.limitBytes) {
        chunks.length = 0;
        finish(
          gatewayError(ERROR_CODES.BODY_TOO_LARGE, `request body exceeds ${options.limitBytes} bytes`, {
            limit: options.limitBytes,
          }),
        );
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      finish();
    }
    function onError(error: Error): void {
      finish(gatewayError(ERROR_CODES.BAD_REQUEST, `request body could not be read: ${error.message}`));
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
