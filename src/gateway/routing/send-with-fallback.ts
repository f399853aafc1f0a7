import { setTimeout as sleep } from 'node:timers/promises';
import { type AegisError, ERROR_CODES, type ErrorCode } from '../../spec/errors.js';
import type { GatewayConfig } from '../config/gateway-config-schema.js';
import { gatewayError } from '../http/api-error.js';
import { backoffDelay } from './backoff-delay.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { RouteTarget } from './router.js';
import type { UpstreamClient, UpstreamReply, UpstreamSend } from './upstream-client.js';

/** The reply that was accepted and where it came from. */
export interface RoutedReply {
  reply: UpstreamReply;
  target: RouteTarget;
  attempts: number;
}

/** Options of `sendWithFallback`. */
export interface SendWithFallbackOptions {
  client: UpstreamClient;
  targets: readonly RouteTarget[];
  breakers: (name: string) => CircuitBreaker;
  retry: GatewayConfig['retry'];
  /** Builds the request for one target (the model name can differ per target). */
  request: (target: RouteTarget) => UpstreamSend;
  /** Called for every failed attempt (metrics, logs). */
  onFailure?: (info: { upstream: string; code: ErrorCode; status?: number }) => void;
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}

function header(reply: UpstreamReply, name: string): string | undefined {
  const value = reply.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Whole seconds of a `Retry-After` value (seconds or an HTTP date, RFC 9110 §10.2.3), at most a day. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = /^[0-9]{1,10}$/.test(value.trim())
    ? Number(value)
    : (Date.parse(value) - Date.now()) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(86_400, Math.max(0, Math.ceil(seconds)));
}

/**
 * Sends to the first healthy target, retrying with backoff on connection errors, timeouts, 429 and 5xx
 * (up to the upstream's `retries`), then falling back along the chain. A circuit breaker per upstream
 * skips upstreams that keep failing. Other 4xx replies are the caller's problem and returned as they are.
 */
export async function sendWithFallback(options: SendWithFallbackOptions): Promise<RoutedReply> {
  let lastError: AegisError | undefined;
  let attempts = 0;
  for (const target of options.targets) {
    const breaker = options.breakers(target.upstream.name);
    for (let attempt = 0; attempt <= target.upstream.retries; attempt++) {
      if (!breaker.allow()) {
        lastError ??= gatewayError(
          ERROR_CODES.CIRCUIT_OPEN,
          `upstream ${target.upstream.name} is unavailable (circuit open)`,
        );
        // Counted like other upstream failures (metrics: reason AEGIS_CIRCUIT_OPEN).
        options.onFailure?.({ upstream: target.upstream.name, code: ERROR_CODES.CIRCUIT_OPEN });
        break;
      }
      attempts++;
      let retryAfter: string | undefined;
      try {
        const reply = await options.client.send(options.request(target));
        if (reply.statusCode !== 429 && reply.statusCode < 500) {
          breaker.success();
          return { reply, target, attempts };
        }
        // 429 is the upstream protecting itself, not a fault: retry, but do not trip the breaker.
        if (reply.statusCode >= 500) breaker.failure();
        else breaker.success();
        retryAfter = header(reply, 'retry-after');
        reply.body.resume();
        reply.body.on('error', () => {});
        // An upstream that keeps limiting the gateway is a rate limit for the caller too: 429 with the
        // upstream's Retry-After, so clients back off instead of treating it as a server fault.
        const limited = reply.statusCode === 429;
        const code = limited ? ERROR_CODES.UPSTREAM_RATE_LIMITED : ERROR_CODES.UPSTREAM_ERROR;
        const details: Record<string, unknown> = {
          upstream: target.upstream.name,
          upstreamStatus: reply.statusCode,
        };
        const waitSeconds = limited ? retryAfterSeconds(retryAfter) : undefined;
        if (waitSeconds !== undefined) details.retryAfter = waitSeconds;
        lastError = gatewayError(
          code,
          limited
            ? `upstream ${target.upstream.name} is rate limiting the gateway`
            : `upstream ${target.upstream.name} answered ${reply.statusCode}`,
          details,
        );
        options.onFailure?.({ upstream: target.upstream.name, code, status: reply.statusCode });
      } catch (error) {
        if ((error as { name?: string })?.name === 'AbortError') throw error;
        breaker.failure();
        const code = isTimeout(error) ? ERROR_CODES.UPSTREAM_TIMEOUT : ERROR_CODES.UPSTREAM_UNAVAILABLE;
        lastError = gatewayError(
          code,
          code === ERROR_CODES.UPSTREAM_TIMEOUT
            ? `upstream ${target.upstream.name} timed out`
            : `upstream ${target.upstream.name} is unreachable`,
          { upstream: target.upstream.name },
        );
        options.onFailure?.({ upstream: target.upstream.name, code });
      }
      if (attempt < target.upstream.retries) {
        await sleep(
          backoffDelay({
            attempt,
            baseDelayMs: options.retry.baseDelayMs,
            maxDelayMs: options.retry.maxDelayMs,
            retryAfter,
          }),
        );
      }
    }
  }
  throw lastError ?? gatewayError(ERROR_CODES.UPSTREAM_UNAVAILABLE, 'no upstream available');
}
