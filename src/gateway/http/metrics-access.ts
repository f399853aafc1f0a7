import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import { createAdminAuth } from '../../store/admin-token.js';
import type { HeaderBag } from '../../store/presented-key.js';

/** Default environment variable holding the metrics token. */
export const METRICS_TOKEN_ENV = 'AEGIS_METRICS_TOKEN';
const MIN_TOKEN_LENGTH = 16;

/** Options of `createMetricsAccess`. */
export interface MetricsAccessOptions {
  /** True when the gateway listens on a loopback address only. */
  loopback: boolean;
  /** `metrics.public`: scrapes need no token, whatever the bind address. */
  public: boolean;
  /** `metrics.tokenEnv`: the variable holding the metrics token (default AEGIS_METRICS_TOKEN). */
  tokenEnv?: string | undefined;
  environment: NodeJS.ProcessEnv;
  /** The admin token's check, when admin endpoints are on: the admin token may scrape too. */
  admin?: { authorize(headers: HeaderBag): void } | undefined;
}

/** Who may read `/metrics`. */
export interface MetricsAccess {
  /** `open`: anyone who reaches the gateway; `token`: the metrics or the admin token. */
  readonly mode: 'open' | 'token';
  /** True when a token is required but none is configured: every scrape is refused. */
  readonly unusable: boolean;
  /** Throws `AEGIS_METRICS_TOKEN_INVALID` unless the request may read the metrics. */
  authorize(headers: HeaderBag): void;
}

/**
 * Decides who may scrape `/metrics`. Metrics name models, upstreams, routes and traffic: on an address
 * other people reach they need a token (the dedicated metrics token, or the admin token), unless
 * `metrics.public` says the network is trusted. On loopback they stay open, unless a metrics token is set
 * (the operator asked for one). Tokens are compared in constant time (hashed to 32 bytes first).
 */
export function createMetricsAccess(options: MetricsAccessOptions): MetricsAccess {
  const envName = options.tokenEnv ?? METRICS_TOKEN_ENV;
  const token = options.environment[envName];
  const tokenSet = token !== undefined && token !== '';
  if (tokenSet && token.length < MIN_TOKEN_LENGTH) {
    throw new AegisError(
      ERROR_CODES.CONFIG_INVALID,
      `the metrics token in ${envName} must be at least ${MIN_TOKEN_LENGTH} characters (try: openssl rand -base64 32)`,
    );
  }
  if (options.public || (options.loopback && !tokenSet)) {
    return { mode: 'open', unusable: false, authorize: () => {} };
  }
  const metricsAuth = tokenSet ? createAdminAuth({ token }) : undefined;
  const { admin } = options;
  const adminAccepts = (headers: HeaderBag): boolean => {
    if (admin === undefined) return false;
    try {
      admin.authorize(headers);
      return true;
    } catch {
      return false;
    }
  };
  return {
    mode: 'token',
    unusable: metricsAuth === undefined && admin === undefined,
    authorize(headers) {
      // Both checks run, so the time taken does not tell which token was tried.
      const metricsOk = metricsAuth?.check(headers) ?? false;
      const adminOk = adminAccepts(headers);
      if (metricsOk || adminOk) return;
      throw new AegisError(
        ERROR_CODES.METRICS_TOKEN_INVALID,
        metricsAuth === undefined && admin === undefined
          ? `metrics need a token on this address: set ${envName} (or the admin token), or metrics.public`
          : 'missing or wrong metrics token',
      );
    },
  };
}
