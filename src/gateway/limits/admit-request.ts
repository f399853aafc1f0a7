import type { Lease, LimitSubject } from '../../store/limiter.js';
import type { GatewayLimiter } from '../gateway-hooks.js';
import { gatewayError } from '../http/api-error.js';

function requestedOutputTokens(body: Record<string, unknown>): number {
  const value = body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, 1_000_000) : 0;
}

/**
 * Admits a request against the key's limits (requests and tokens per minute, concurrency, daily budget)
 * with a token estimate of about 4 bytes per token of input plus the requested output; throws the
 * limiter's 429 error with `retryAfter` seconds. The lease is released when the response is finished.
 */
export function admitRequest(options: {
  limiter: GatewayLimiter;
  principal: LimitSubject;
  bodyBytes: number;
  body: Record<string, unknown>;
}): Lease {
  const admission = options.limiter.admit(options.principal, {
    estimatedTokens: Math.ceil(options.bodyBytes / 4) + requestedOutputTokens(options.body),
  });
  if (!admission.ok)
    throw gatewayError(admission.code, admission.message, { retryAfter: admission.retryAfter });
  return admission.lease;
}
