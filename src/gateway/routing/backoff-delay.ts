/** Options of `backoffDelay`. */
export interface BackoffOptions {
  attempt: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** `Retry-After` header of the failed response (seconds or HTTP date, RFC 9110 §10.2.3). */
  retryAfter?: string | undefined;
  random?: () => number;
}

/**
 * Exponential backoff with jitter (half to full of `base * 2^attempt`, capped), or the upstream's
 * `Retry-After` when it asks for a wait within the cap.
 */
export function backoffDelay(options: BackoffOptions): number {
  if (options.retryAfter !== undefined) {
    const seconds = Number(options.retryAfter);
    const waitMs = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(options.retryAfter) - Date.now();
    if (Number.isFinite(waitMs) && waitMs >= 0 && waitMs <= options.maxDelayMs) return waitMs;
  }
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** options.attempt);
  return exponential * (0.5 + (options.random ?? Math.random)() * 0.5);
}
