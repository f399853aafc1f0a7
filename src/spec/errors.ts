/**
 * The single error root of Aegis. Every failure that crosses a module boundary is an `AegisError`
 * with a stable code from `ERROR_CODES`. Codes are never reused or renamed: add new ones at the end
 * of their section.
 */
export const ERROR_CODES = {
  // generic
  INTERNAL: 'AEGIS_INTERNAL',
  INVALID_ARGUMENT: 'AEGIS_INVALID_ARGUMENT',
  NOT_FOUND: 'AEGIS_NOT_FOUND',
  IO_ERROR: 'AEGIS_IO_ERROR',
  INVALID_UTF8: 'AEGIS_INVALID_UTF8',
  INPUT_TOO_LARGE: 'AEGIS_INPUT_TOO_LARGE',
  TIMEOUT: 'AEGIS_TIMEOUT',
  // configuration and policy
  CONFIG_INVALID: 'AEGIS_CONFIG_INVALID',
  CONFIG_UNREADABLE: 'AEGIS_CONFIG_UNREADABLE',
  POLICY_INVALID: 'AEGIS_POLICY_INVALID',
  POLICY_UNREADABLE: 'AEGIS_POLICY_UNREADABLE',
  PRESET_UNKNOWN: 'AEGIS_PRESET_UNKNOWN',
  // guard
  DETECTOR_UNKNOWN: 'AEGIS_DETECTOR_UNKNOWN',
  DETECTOR_FAILED: 'AEGIS_DETECTOR_FAILED',
  REDACTION_KEY_MISSING: 'AEGIS_REDACTION_KEY_MISSING',
  REDACTION_FAILED: 'AEGIS_REDACTION_FAILED',
  VAULT_DECRYPT_FAILED: 'AEGIS_VAULT_DECRYPT_FAILED',
  // check / eval input
  INPUT_LINE_INVALID: 'AEGIS_INPUT_LINE_INVALID',
  INPUT_UNREADABLE: 'AEGIS_INPUT_UNREADABLE',
  DATASET_MISSING: 'AEGIS_DATASET_MISSING',
  DATASET_INVALID: 'AEGIS_DATASET_INVALID',
  MODEL_UNREADABLE: 'AEGIS_MODEL_UNREADABLE',
  MODEL_INVALID: 'AEGIS_MODEL_INVALID',
  BACKEND_UNAVAILABLE: 'AEGIS_BACKEND_UNAVAILABLE',
  BACKEND_FAILED: 'AEGIS_BACKEND_FAILED',
  // gateway
  BAD_REQUEST: 'AEGIS_BAD_REQUEST',
  BODY_TOO_LARGE: 'AEGIS_BODY_TOO_LARGE',
  JSON_MALFORMED: 'AEGIS_JSON_MALFORMED',
  JSON_TOO_DEEP: 'AEGIS_JSON_TOO_DEEP',
  UNSUPPORTED_MEDIA_TYPE: 'AEGIS_UNSUPPORTED_MEDIA_TYPE',
  ROUTE_NOT_FOUND: 'AEGIS_ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'AEGIS_METHOD_NOT_ALLOWED',
  AUTH_MISSING: 'AEGIS_AUTH_MISSING',
  AUTH_INVALID: 'AEGIS_AUTH_INVALID',
  KEY_REVOKED: 'AEGIS_KEY_REVOKED',
  MODEL_NOT_ALLOWED: 'AEGIS_MODEL_NOT_ALLOWED',
  RATE_LIMITED: 'AEGIS_RATE_LIMITED',
  TOKEN_BUDGET_EXCEEDED: 'AEGIS_TOKEN_BUDGET_EXCEEDED',
  CONCURRENCY_LIMITED: 'AEGIS_CONCURRENCY_LIMITED',
  INPUT_BLOCKED: 'AEGIS_INPUT_BLOCKED',
  OUTPUT_BLOCKED: 'AEGIS_OUTPUT_BLOCKED',
  TOOL_NOT_ALLOWED: 'AEGIS_TOOL_NOT_ALLOWED',
  GUARD_FAILED: 'AEGIS_GUARD_FAILED',
  UPSTREAM_UNAVAILABLE: 'AEGIS_UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'AEGIS_UPSTREAM_TIMEOUT',
  UPSTREAM_ERROR: 'AEGIS_UPSTREAM_ERROR',
  UPSTREAM_RATE_LIMITED: 'AEGIS_UPSTREAM_RATE_LIMITED',
  CIRCUIT_OPEN: 'AEGIS_CIRCUIT_OPEN',
  UPSTREAM_URL_FORBIDDEN: 'AEGIS_UPSTREAM_URL_FORBIDDEN',
  NON_LOOPBACK_WITHOUT_KEYS: 'AEGIS_NON_LOOPBACK_WITHOUT_KEYS',
  ADMIN_TOKEN_INVALID: 'AEGIS_ADMIN_TOKEN_INVALID',
  SHUTTING_DOWN: 'AEGIS_SHUTTING_DOWN',
  CLIENT_WRITE_STALLED: 'AEGIS_CLIENT_WRITE_STALLED',
  CLIENT_TOO_SLOW: 'AEGIS_CLIENT_TOO_SLOW',
  METRICS_TOKEN_INVALID: 'AEGIS_METRICS_TOKEN_INVALID',
  // store / audit
  STORE_FAILED: 'AEGIS_STORE_FAILED',
  AUDIT_CHAIN_BROKEN: 'AEGIS_AUDIT_CHAIN_BROKEN',
  AUDIT_KEY_MISSING: 'AEGIS_AUDIT_KEY_MISSING',
  AUDIT_DECRYPT_FAILED: 'AEGIS_AUDIT_DECRYPT_FAILED',
  // scan
  SCAN_UNREADABLE: 'AEGIS_SCAN_UNREADABLE',
  SCAN_FORMAT_UNKNOWN: 'AEGIS_SCAN_FORMAT_UNKNOWN',
  SCAN_TRUNCATED: 'AEGIS_SCAN_TRUNCATED',
  SCAN_LIMIT_EXCEEDED: 'AEGIS_SCAN_LIMIT_EXCEEDED',
  SCAN_PARSE_FAILED: 'AEGIS_SCAN_PARSE_FAILED',
  // sign
  SIGN_KEY_INVALID: 'AEGIS_SIGN_KEY_INVALID',
  SIGNATURE_INVALID: 'AEGIS_SIGNATURE_INVALID',
  SIGNATURE_MALFORMED: 'AEGIS_SIGNATURE_MALFORMED',
  MANIFEST_MISMATCH: 'AEGIS_MANIFEST_MISMATCH',
  CERTIFICATE_INVALID: 'AEGIS_CERTIFICATE_INVALID',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Options for constructing an `AegisError`. */
export interface AegisErrorOptions {
  /** Extra structured data; never include secrets or raw sensitive values. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error class Aegis throws. `code` is stable and machine-readable. */
export class AegisError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AegisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AegisError';
    this.code = code;
    this.details = options.details;
  }

  /** A JSON-safe view for logs and API errors. */
  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `value` is an `AegisError`, optionally with the given code. */
export function isAegisError(value: unknown, code?: ErrorCode): value is AegisError {
  return value instanceof AegisError && (code === undefined || value.code === code);
}
