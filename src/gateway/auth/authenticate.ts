import { ERROR_CODES } from '../../spec/errors.js';
import type { ApiKeyRecord } from '../../store/key-store.js';
import { presentedKeyFrom } from '../../store/presented-key.js';
import type { GatewayContext } from '../gateway-context.js';
import { gatewayError } from '../http/api-error.js';
import type { RequestState } from '../request-state.js';

const AUTH_MESSAGES: Record<string, string> = {
  missing: 'API key missing: send `Authorization: Bearer <key>` or `x-api-key`',
  invalid: 'API key invalid',
  revoked: 'API key revoked',
};

/**
 * Checks the presented API key (`Authorization: Bearer` or `x-api-key`) when auth is required — once the
 * key store holds a key or the config says so — and returns its record (null when the gateway is open).
 * The key store compares hashes in constant time; messages never repeat the presented key.
 */
export function authenticate(context: GatewayContext, state: RequestState): ApiKeyRecord | null {
  if (!context.authRequired()) return null;
  const presented = presentedKeyFrom(state.request.headers);
  if (context.keys === undefined)
    throw gatewayError(ERROR_CODES.AUTH_INVALID, AUTH_MESSAGES.invalid as string);
  const result = context.keys.verify(presented);
  if (!result.ok) throw gatewayError(result.code, AUTH_MESSAGES[result.reason] ?? 'API key refused');
  state.keyId = result.record.id;
  return result.record;
}
