import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { ERROR_CODES } from '../../spec/errors.js';

// Status per Node's own `clientError` fallback (lib/_http_server.js): a request that did not arrive in
// time is 408, oversized headers 431, oversized chunk extensions 413, anything else the parser refused 400.
const ANSWERS: Record<string, [number, string, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    ERROR_CODES.TIMEOUT,
    'the request did not arrive in time',
  ],
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    ERROR_CODES.BAD_REQUEST,
    'request headers too large',
  ],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [
    413,
    'Payload Too Large',
    ERROR_CODES.BODY_TOO_LARGE,
    'chunk extensions too large',
  ],
};
const MALFORMED: [number, string, string, string] = [
  400,
  'Bad Request',
  ERROR_CODES.BAD_REQUEST,
  'malformed HTTP request',
];

/**
 * Answers a request that Node's HTTP parser refused or that timed out (`server.on('clientError')`) in
 * the gateway's error shape, with a stable code and an `x-request-id`, then closes the connection. As
 * Node does, nothing is written when a response already started on the socket (it would corrupt it),
 * and a reset connection is only destroyed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] = ANSWERS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${randomUUID()}\r\n\r\n${body}`,
  );
}
