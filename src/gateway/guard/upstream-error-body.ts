import { ERROR_CODES } from '../../spec/errors.js';
import { errorBody, gatewayError } from '../http/api-error.js';
import type { ApiKind } from '../routing/router.js';
import { checkedUpstreamError } from './checked-upstream-error.js';
import type { ResponseGuard } from './response-guard.js';

/** What an upstream's error answer becomes for the caller. */
export type UpstreamErrorBody =
  /** The API's error shape, message checked and restored, identifiers kept, everything else dropped. */
  | { kind: 'error'; body: Record<string, unknown> }
  /** The output check stopped the message (see `guard.violation`). */
  | { kind: 'blocked' }
  /** Not the provider's JSON error shape: nothing of it may reach the caller. */
  | { kind: 'unrecognised' };

const OPENAI_FIELDS = ['type', 'param', 'code'] as const;

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function parse(body: Buffer): Record<string, unknown> | undefined {
  try {
    return record(JSON.parse(body.toString('utf8')));
  } catch {
    return undefined;
  }
}

function wrap(
  error: Record<string, unknown> | null,
  shape: (error: Record<string, unknown>) => Record<string, unknown>,
): UpstreamErrorBody {
  return error === null ? { kind: 'blocked' } : { kind: 'error', body: shape(error) };
}

/**
 * Rewrites the body of an upstream's error answer (a 4xx the caller receives) in the API's own error
 * shape. Its text is the upstream's, like an answer: providers echo the request in validation messages
 * (so placeholders would reach the caller unrestored) and can quote anything else. Recognised shapes:
 * OpenAI `{"error": {message, type, param, code}}` (also with `error` a bare string, as some
 * OpenAI-compatible servers send), vLLM's flat `{"object": "error", message, type, param, code}`, and
 * Anthropic `{"type": "error", "error": {type, message}}` ("Errors" in Anthropic's API docs).
 */
export function checkUpstreamErrorBody(options: {
  guard: ResponseGuard;
  api: ApiKind;
  body: Buffer;
}): UpstreamErrorBody {
  const { guard } = options;
  const parsed = parse(options.body);
  if (parsed === undefined) return { kind: 'unrecognised' };
  if (options.api === 'anthropic') {
    const error = record(parsed.error);
    if (parsed.type !== 'error' || typeof error?.message !== 'string') return { kind: 'unrecognised' };
    return wrap(checkedUpstreamError({ guard, error, fields: ['type'] }), (checked) => ({
      type: 'error',
      error: { type: checked.type ?? 'api_error', message: checked.message },
    }));
  }
  if (typeof parsed.error === 'string') {
    const error = { message: parsed.error };
    return wrap(checkedUpstreamError({ guard, error, fields: OPENAI_FIELDS }), (checked) => ({
      error: checked,
    }));
  }
  const error = record(parsed.error);
  if (typeof error?.message === 'string') {
    return wrap(checkedUpstreamError({ guard, error, fields: OPENAI_FIELDS }), (checked) => ({
      error: checked,
    }));
  }
  if (parsed.object === 'error' && typeof parsed.message === 'string') {
    return wrap(checkedUpstreamError({ guard, error: parsed, fields: OPENAI_FIELDS }), (checked) => ({
      object: 'error',
      ...checked,
    }));
  }
  return { kind: 'unrecognised' };
}

/**
 * The gateway's own error body for an upstream refusal whose answer is not its API's error shape: the
 * upstream's status stays with the caller (a 4xx is the request's fault; a 5xx would make clients retry),
 * the code is `AEGIS_UPSTREAM_ERROR`, and nothing of the upstream's answer is repeated.
 */
export function unrecognisedUpstreamError(
  upstream: string | null,
  status: number,
): { error: Record<string, unknown> } {
  const body = errorBody(
    gatewayError(
      ERROR_CODES.UPSTREAM_ERROR,
      `upstream ${upstream ?? '?'} refused the request (HTTP ${status}); its answer was not an error object and is not passed on`,
      { upstream, upstreamStatus: status },
    ),
  );
  body.error.type = 'invalid_request_error';
  return body;
}
