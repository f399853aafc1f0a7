import { ERROR_CODES } from '../../spec/errors.js';
import { gatewayError } from '../http/api-error.js';

/** One server-sent event. */
export interface SseEvent {
  /** The `event` field; undefined means the default `message` type. */
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/** Incremental SSE parser. */
export interface SseParser {
  /** Feeds bytes (any split, including inside UTF-8 sequences and line breaks). */
  push(chunk: Uint8Array | string): void;
  /** Ends the stream: an event without its final blank line is discarded, as the spec requires. */
  end(): void;
}

/** Options of `createSseParser`. */
export interface SseParserOptions {
  onEvent(event: SseEvent): void;
  /** Largest event (all its lines) accepted, in characters; beyond it the parser throws. */
  maxEventChars?: number;
}

const DEFAULT_MAX_EVENT_CHARS = 8_388_608;

/**
 * Parser for `text/event-stream` following the WHATWG HTML Living Standard §9.2.6 "Interpreting an event
 * stream": lines end with CRLF, LF or CR; a leading BOM is dropped; `:` starts a comment; a single space
 * after the colon is removed; `data` lines join with LF; an empty line dispatches the event (only when
 * it has data); `id` with a NUL is ignored; unknown fields are ignored.
 */
export function createSseParser(options: SseParserOptions): SseParser {
  const maxEventChars = options.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS;
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let first = true;
  let pendingCarriageReturn = false;
  let eventType: string | undefined;
  let data = '';
  let hasData = false;
  let lastId: string | undefined;
  let eventChars = 0;

  function dispatch(): void {
    if (hasData) options.onEvent({ event: eventType, data, id: lastId });
    eventType = undefined;
    data = '';
    hasData = false;
    eventChars = 0;
  }

  /** The line `text[start, end)` (without its end of line). */
  function processLine(text: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    eventChars += end - start;
    if (eventChars > maxEventChars) {
      throw gatewayError(
        ERROR_CODES.UPSTREAM_ERROR,
        `upstream event larger than ${maxEventChars} characters`,
      );
    }
    if (text.charCodeAt(start) === 58) return; // ':' comment
    if (text.startsWith('data: ', start)) {
      // The common case: the value is cut straight out of the buffer (one string per event, not two).
      const value = text.slice(start + 6, end);
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
      return;
    }
    const line = text.slice(start, end);
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    if (field === 'data') {
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (field === 'event') eventType = value;
    else if (field === 'id') {
      if (!value.includes('\u0000')) lastId = value;
    }
  }

  function processText(text: string): void {
    let start = 0;
    if (pendingCarriageReturn && text.charCodeAt(0) === 10) start = 1;
    pendingCarriageReturn = false;
    buffer += start === 0 ? text : text.slice(start);
    let position = 0;
    // Streams almost always end lines with LF alone: then a native search finds each line end.
    const lineFeedOnly = buffer.indexOf('\r') === -1;
    while (position < buffer.length) {
      let lineEnd = -1;
      if (lineFeedOnly) lineEnd = buffer.indexOf('\n', position);
      else {
        for (let index = position; index < buffer.length; index++) {
          const code = buffer.charCodeAt(index);
          if (code === 10 || code === 13) {
            lineEnd = index;
            break;
          }
        }
      }
      if (lineEnd === -1) break;
      processLine(buffer, position, lineEnd);
      if (buffer.charCodeAt(lineEnd) === 13) {
        if (lineEnd + 1 === buffer.length) {
          pendingCarriageReturn = true;
          position = lineEnd + 1;
          break;
        }
        position = buffer.charCodeAt(lineEnd + 1) === 10 ? lineEnd + 2 : lineEnd + 1;
      } else position = lineEnd + 1;
    }
    buffer = position === 0 ? buffer : buffer.slice(position);
    if (buffer.length > maxEventChars) {
      throw gatewayError(
        ERROR_CODES.UPSTREAM_ERROR,
        `upstream event line longer than ${maxEventChars} characters`,
      );
    }
  }

  return {
    push(chunk: Uint8Array | string): void {
      let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (text.length > 0) processText(text);
    },
    end(): void {
      const rest = decoder.decode();
      if (rest.length > 0) processText(rest);
      // Per the spec, an incomplete final event (no blank line) is discarded.
      buffer = '';
    },
  };
}
