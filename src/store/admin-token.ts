import { createHash, timingSafeEqual } from 'node:crypto';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { type HeaderBag, presentedKeyFrom } from './presented-key.js';

/** Default environment variable holding the admin token. */
export const ADMIN_TOKEN_ENV = 'AEGIS_ADMIN_TOKEN';
const MIN_TOKEN_LENGTH = 16;

/** Checks the admin token of admin requests. */
export interface AdminAuth {
  /** False when no admin token is configured: admin endpoints are then closed. */
  readonly enabled: boolean;
  /** True when the headers carry the admin token (`Authorization: Bearer <token>`). Constant time. */
  check(headers: HeaderBag): boolean;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Reads the admin token from `token` or the environment variable `envName` (default AEGIS_ADMIN_TOKEN).
 * Both sides are hashed to 32 bytes before `timingSafeEqual`, so neither the token's content nor its
 * length leaks through timing.
 */
export function createAdminAuth(
  options: { token?: string; envName?: string; env?: NodeJS.ProcessEnv } = {},
): AdminAuth {
  const env = options.env ?? process.env;
  const envName = options.envName ?? ADMIN_TOKEN_ENV;
  const token = options.token ?? env[envName];
  if (token === undefined || token === '') {
    return { enabled: false, check: () => false };
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new AegisError(
      ERROR_CODES.CONFIG_INVALID,
      `the admin token in ${envName} must be at least ${MIN_TOKEN_LENGTH} characters (try: openssl rand -base64 32)`,
    );
  }
  const expected = digest(token);
  return {
    enabled: true,
    check(headers) {
      const presented = presentedKeyFrom(headers);
      if (presented === undefined || presented === '') return false;
      return timingSafeEqual(digest(presented), expected);
    },
  };
}
