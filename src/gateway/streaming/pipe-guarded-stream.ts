import type { ServerResponse } from 'node:http';
import { ERROR_CODES } from '../../spec/errors.js';
import type { ResponseGuard, ResponseViolation } from '../guard/response-guard.js';
import type { UpstreamReply } from '../routing/upstream-client.js';
import { createSseParser, type SseEvent } from './sse-parser.js';
import type { StreamTransformer } from './stream-transformer.js';

/** How a guarded stream ended. */
export interface StreamOutcome {
  outcome: 'complete' | 'violation' | 'upstream-error' | 'client-closed';
  violation?: ResponseViolation;
  /** Characters of event data received from the upstream (for token estimates). */
  receivedChars: number;
}

/** Options of `pipeGuardedStream`. */
export interface PipeGuardedStreamOptions {
  reply: UpstreamReply;
  response: ServerResponse;
  transformer: StreamTransformer;
  guard: ResponseGuard;
  /** Aborts the upstream request when the caller goes away or the stream is stopped. */
  abort?: { abort(): void } | undefined;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/**
 * Streams an upstream SSE body to the caller through the transformer, with backpressure (the upstream
 * is paused while the caller's socket is full). A policy violation, a malformed event or an upstream
 * failure (timeout, reset mid-stream) ends the stream with the API's closing events; the caller going
 * away aborts the upstream request.
 */
export function pipeGuardedStream(options: PipeGuardedStreamOptions): Promise<StreamOutcome> {
  const { reply, response, transformer, guard } = options;
  const body = reply.body;
  // The head is written lazily: a stream that arrives whole can then leave as one sized response.
  let headWritten = false;
  const writeHead = (): void => {
    if (headWritten) return;
    headWritten = true;
    response.writeHead(200, SSE_HEADERS);
  };
  // Headers leave at once when the upstream has sent nothing more yet (the caller sees the stream
  // open); when body bytes are already waiting they leave with the first write, saving a syscall, and
  // at the latest after that first read even when all its text is held back.
  let headersOut = body.readableLength === 0;
  if (headersOut) {
    writeHead();
    response.flushHeaders();
  }
  return new Promise((resolve) => {
    let done = false;
    /** The caller's response was ended after the API's final event; the upstream body is drained. */
    let ended = false;
    let receivedChars = 0;
    /** Output of the events of one upstream read, sent together (one chunk, and sized when it is all). */
    let batch = '';
    let batching = false;

    function takeBatch(): string {
      const text = batch;
      batch = '';
      return text;
    }

    function finish(result: StreamOutcome): void {
      if (done) return;
      done = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      response.off('close', onClose);
      body.on('error', () => {});
      if (!body.destroyed) body.destroy();
      // Aborting builds an AbortError with a stack: only worth it when the upstream may still be sending.
      if (result.outcome !== 'complete') options.abort?.abort();
      resolve(result);
    }

    function stop(reason: ResponseViolation, outcome: StreamOutcome['outcome']): void {
      if (done) return;
      if (ended) {
        // The caller already has the whole answer; what the upstream does after its final event is moot.
        finish({ outcome: 'complete', receivedChars });
        return;
      }
      if (!response.writableEnded) {
        writeHead();
        response.end(takeBatch() + transformer.closing(reason));
      }
      finish({ outcome, violation: reason, receivedChars });
    }

    function write(text: string): void {
      if (text.length === 0 || done || ended) return;
      if (batching) {
        batch += text;
        return;
      }
      send(text);
    }

    function send(text: string): void {
      headersOut = true;
      writeHead();
      if (!response.write(text)) {
        body.pause();
        response.once('drain', resume);
      }
    }

    function resume(): void {
      if (!done) body.resume();
    }

    function onEvent(event: SseEvent): void {
      if (done || ended) return;
      receivedChars += event.data.length;
      let out: string;
      try {
        out = transformer.onEvent(event);
      } catch {
        stop(
          { code: ERROR_CODES.UPSTREAM_ERROR, message: 'the upstream sent a malformed event', findings: [] },
          'upstream-error',
        );
        return;
      }
      const violation = guard.violation;
      if (violation !== undefined) {
        write(out);
        stop(violation, 'violation');
        return;
      }
      if (transformer.complete === true) {
        // Headers, the last events and the end of the body leave in one write (inside the cork).
        ended = true;
        const rest = takeBatch() + out;
        if (!headWritten) {
          // Nothing was sent yet: the whole answer leaves with a length, unchunked.
          headWritten = true;
          response.writeHead(200, { ...SSE_HEADERS, 'content-length': Buffer.byteLength(rest) });
        }
        response.end(rest);
        if (body.isPaused()) body.resume();
        return;
      }
      write(out);
    }

    const parser = createSseParser({ onEvent });

    function onData(chunk: Buffer): void {
      // One upstream read often holds many events: cork so their rewrites leave in one write.
      response.cork();
      try {
        batching = true;
        parser.push(chunk);
        batching = false;
        if (batch.length > 0 && !done && !ended) send(takeBatch());
        if (!headersOut && !done && !ended) {
          headersOut = true;
          writeHead();
          response.flushHeaders();
        }
      } catch {
        batching = false;
        stop(
          { code: ERROR_CODES.UPSTREAM_ERROR, message: 'the upstream sent an oversized event', findings: [] },
          'upstream-error',
        );
      } finally {
        response.uncork();
      }
    }

    function onEnd(): void {
      if (done) return;
      if (ended) {
        finish({ outcome: 'complete', receivedChars });
        return;
      }
      parser.end();
      const out = transformer.onEnd();
      const violation = guard.violation;
      if (violation !== undefined) {
        write(out);
        stop(violation, 'violation');
        return;
      }
      writeHead();
      response.end(out);
      finish({ outcome: 'complete', receivedChars });
    }

    function onError(error: Error): void {
      const timeout = (error as { code?: string }).code === 'UND_ERR_BODY_TIMEOUT';
      stop(
        {
          code: timeout ? ERROR_CODES.UPSTREAM_TIMEOUT : ERROR_CODES.UPSTREAM_ERROR,
          message: timeout ? 'the upstream stopped sending (timeout)' : 'the upstream stream failed',
          findings: [],
        },
        'upstream-error',
      );
    }

    function onClose(): void {
      if (!response.writableFinished) finish({ outcome: 'client-closed', receivedChars });
    }

    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    response.on('close', onClose);
  });
}
