/** State of one upstream's breaker. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A circuit breaker for one upstream. */
export interface CircuitBreaker {
  /** True when a request may be sent now (in half-open state, only one probe at a time). */
  allow(): boolean;
  success(): void;
  failure(): void;
  readonly state: CircuitState;
}

/** Options of `createCircuitBreaker`. */
export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  clock?: () => number;
}

/**
 * Classic three-state breaker: after `failureThreshold` consecutive failures the circuit opens and
 * requests fail fast; after `cooldownMs` one probe is let through (half-open); its success closes the
 * circuit, its failure opens it again.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const clock = options.clock ?? Date.now;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  return {
    allow(): boolean {
      if (state === 'closed') return true;
      if (state === 'open') {
        if (clock() - openedAt < options.cooldownMs) return false;
        state = 'half-open';
        probing = false;
      }
      if (probing) return false;
      probing = true;
      return true;
    },
    success(): void {
      state = 'closed';
      failures = 0;
      probing = false;
    },
    failure(): void {
      failures++;
      probing = false;
      if (state === 'half-open' || failures >= options.failureThreshold) {
        state = 'open';
        openedAt = clock();
      }
    },
    get state() {
      if (state === 'open' && clock() - openedAt >= options.cooldownMs) return 'half-open';
      return state;
    },
  };
}
