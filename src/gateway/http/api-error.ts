import type { ServerResponse } from 'node:http';
import { AegisError, ERROR_CODES, type ErrorCode, isAegisError } from '../../spec/errors.js';

// HTTP status and OpenAI error `type` for each gateway error code. Shape per the OpenAI API reference
// ("Error codes"): `{ "error": { "message", "type", "param", "code" } }`.
const STATUS: Partial<Record<ErrorCode, [number, string]>> = {
  [ERROR_CODES.BAD_REQUEST]: [400, 'invalid_request_error'],
  [ERROR_CODES.INVALID_ARGUMENT]: [400, 'invalid_request_error'],
  [ERROR_CODES.JSON_MALFORMED]: [400, 'invalid_request_error'],
  [ERROR_CODES.JSON_TOO_DEEP]: [400, 'invalid_request_error'],
  [ERROR_CODES.JSON_DUPLICATE_MEMBER]: [400, 'invalid_request_error'],
  [ERROR_CODES.INVALID_UTF8]: [400, 'invalid_request_error'],
  [ERROR_CODES.BODY_TOO_LARGE]: [413, 'invalid_request_error'],
  [ERROR_CODES.UNSUPPORTED_MEDIA_TYPE]: [415, 'invalid_request_error'],
  [ERROR_CODES.ROUTE_NOT_FOUND]: [404, 'invalid_request_error'],
  [ERROR_CODES.NOT_FOUND]: [404, 'invalid_request_error'],
  [ERROR_CODES.METHOD_NOT_ALLOWED]: [405, 'invalid_request_error'],
  [ERROR_CODES.AUTH_MISSING]: [401, 'authentication_error'],
  [ERROR_CODES.AUTH_INVALID]: [401, 'authentication_error'],
  [ERROR_CODES.KEY_REVOKED]: [401, 'authentication_error'],
  [ERROR_CODES.ADMIN_TOKEN_INVALID]: [401, 'authentication_error'],
  [ERROR_CODES.METRICS_TOKEN_INVALID]: [401, 'authentication_error'],
  [ERROR_CODES.MODEL_NOT_ALLOWED]: [403, 'permission_error'],
  [ERROR_CODES.TOOL_NOT_ALLOWED]: [403, 'permission_error'],
  [ERROR_CODES.RATE_LIMITED]: [429, 'rate_limit_error'],
  [ERROR_CODES.TOKEN_BUDGET_EXCEEDED]: [429, 'rate_limit_error'],
  [ERROR_CODES.CONCURRENCY_LIMITED]: [429, 'rate_limit_error'],
  [ERROR_CODES.INPUT_BLOCKED]: [400, 'invalid_request_error'],
  [ERROR_CODES.OUTPUT_BLOCKED]: [422, 'content_filter_error'],
  [ERROR_CODES.GUARD_FAILED]: [503, 'server_error'],
  [ERROR_CODES.UPSTREAM_UNAVAILABLE]: [502, 'server_error'],
  [ERROR_CODES.UPSTREAM_ERROR]: [502, 'server_error'],
  [ERROR_CODES.UPSTREAM_RATE_LIMITED]: [429, 'rate_limit_error'],
  [ERROR_CODES.UPSTREAM_TIMEOUT]: [504, 'server_error'],
  [ERROR_CODES.CIRCUIT_OPEN]: [503, 'server_error'],
  [ERROR_CODES.SHUTTING_DOWN]: [503, 'server_error'],
  [ERROR_CODES.TIMEOUT]: [408, 'invalid_request_error'],
};

/** HTTP status for an error code (500 when unmapped). */
export function statusForCode(code: ErrorCode): number {
  return STATUS[code]?.[0] ?? 500;
}

/** The OpenAI-shaped error body for an error. Internal errors never leak their message. */
export function errorBody(error: unknown): { error: Record<string, unknown> } {
  if (isAegisError(error)) {
    const body: Record<string, unknown> = {
      message: error.message,
      type: STATUS[error.code]?.[1] ?? 'server_error',
      param: null,
      code: error.code,
    };
    if (error.details !== undefined) Object.assign(body, error.details);
    return { error: body };
  }
  return {
    error: { message: 'internal error', type: 'server_error', param: null, code: ERROR_CODES.INTERNAL },
  };
}

/** Sends an error in the OpenAI error shape, with a stable Aegis code. */
export function sendError(
  response: ServerResponse,
  error: unknown,
  extraHeaders?: Record<string, string>,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const code = isAegisError(error) ? error.code : ERROR_CODES.INTERNAL;
  const payload = JSON.stringify(errorBody(error));
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  response.writeHead(statusForCode(code), headers);
  response.end(payload);
}

/** Shorthand for a new `AegisError`. */
export function gatewayError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): AegisError {
  return new AegisError(code, message, details === undefined ? {} : { details });
}
