import { ERROR_CODES } from '../../spec/errors.js';
import { gatewayError } from './api-error.js';
import { findDuplicateJsonMember } from './duplicate-json-member.js';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Occurrences of `byte` in `buffer`, counting no further than `cap`. */
function countUpTo(buffer: Buffer, byte: number, cap: number): number {
  let count = 0;
  let index = buffer.indexOf(byte);
  while (index !== -1 && count < cap) {
    count++;
    index = buffer.indexOf(byte, index + 1);
  }
  return count;
}

/**
 * Maximum nesting depth of a JSON text, scanned over the raw bytes (strings skipped per RFC 8259 §7)
 * so a hostile body is rejected before `JSON.parse` builds anything. Stops as soon as `limit` is passed.
 */
export function jsonDepthExceeds(bytes: Uint8Array, limit: number): boolean {
  // Fast path: with no more opening brackets than the limit, no nesting can exceed it (native search).
  if (
    Buffer.isBuffer(bytes) &&
    countUpTo(bytes, OPEN_BRACE, limit + 1) + countUpTo(bytes, OPEN_BRACKET, limit + 1) <= limit
  ) {
    return false;
  }
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      if (depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a request body as a JSON object, enforcing UTF-8 validity and the depth limit, and refusing an object
 * that has two members of the same name.
 */
export function parseJsonBody(bytes: Buffer, depthLimit: number): Record<string, unknown> {
  if (jsonDepthExceeds(bytes, depthLimit)) {
    throw gatewayError(ERROR_CODES.JSON_TOO_DEEP, `JSON nesting deeper than ${depthLimit}`, {
      limit: depthLimit,
    });
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw gatewayError(ERROR_CODES.INVALID_UTF8, 'request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes part of the body, which may be sensitive: it is not repeated.
    throw gatewayError(ERROR_CODES.JSON_MALFORMED, 'request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, 'request body must be a JSON object');
  }
  // JSON.parse keeps the last of two same-named members; an upstream that keeps the first (or the gateway's
  // own forwarding of the original bytes) would read a value the guard never saw. Such a body is refused.
  const duplicate = findDuplicateJsonMember(bytes, value);
  if (duplicate !== undefined) {
    const param = duplicate.path === '' ? duplicate.name : `${duplicate.path}.${duplicate.name}`;
    throw gatewayError(
      ERROR_CODES.JSON_DUPLICATE_MEMBER,
      `request body has an object with two members named the same (${param}); parsers disagree on which one counts`,
      { param },
    );
  }
  return value as Record<string, unknown>;
}
