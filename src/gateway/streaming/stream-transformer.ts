import { ERROR_CODES } from '../../spec/errors.js';
import type { ResponseGuard, ResponseViolation } from '../guard/response-guard.js';
import type { SseEvent } from './sse-parser.js';

/**
 * Rewrites one upstream event stream for the caller: texts pass through the response guard (output
 * check, then restore). After `onEvent` returns, `guard.violation` tells whether the stream must stop;
 * then `closing` gives the events that end it (finish reason and error event) for this API.
 */
export interface StreamTransformer {
  onEvent(event: SseEvent): string;
  /** The upstream ended normally: releases what is held. */
  onEnd(): string;
  /** Events that end the stream after a violation or an upstream failure. */
  closing(reason: ResponseViolation): string;
  /**
   * True once the API's final event (OpenAI chat `data: [DONE]`, Anthropic `message_stop`, Responses
   * `response.completed` / `.incomplete` / `.failed`) has been produced and guarded: the caller's response
   * can end at once, in the same write, without waiting for the upstream to close its body.
   */
  readonly complete?: boolean;
}

/** Factory signature shared by the per-API transformers. */
export type CreateStreamTransformer = (guard: ResponseGuard) => StreamTransformer;

/** The error payload sent in an SSE `error` event (OpenAI clients raise it as an APIError). */
export function streamErrorPayload(reason: ResponseViolation): Record<string, unknown> {
  return {
    message: reason.message,
    type: isFilterViolation(reason) ? 'content_filter_error' : 'server_error',
    param: null,
    code: reason.code,
    findings: reason.findings,
  };
}

/** True when the stream stops because of the policy (not an upstream failure). */
export function isFilterViolation(reason: ResponseViolation): boolean {
  return reason.code === ERROR_CODES.OUTPUT_BLOCKED || reason.code === ERROR_CODES.TOOL_NOT_ALLOWED;
}
