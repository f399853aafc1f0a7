import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { type GuardMessage, ROLES, type Role } from '../spec/role.js';
import type { CheckOptions } from './types.js';

/** The role of a plain-text check, validated (callers may be plain JavaScript). */
export function roleOf(options: CheckOptions): Role {
  const role = options.role ?? 'user';
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `role must be one of ${ROLES.join(', ')}`);
  }
  return role;
}

/** Throws `INVALID_ARGUMENT` unless `messages` is a list of `{ role, content }` with known roles. */
export function assertMessages(messages: readonly GuardMessage[]): void {
  if (!Array.isArray(messages)) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'check expects a string or a list of messages');
  }
  messages.forEach((message, index) => {
    if (typeof message !== 'object' || message === null || typeof message.content !== 'string') {
      throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `messages[${index}].content must be a string`);
    }
    if (!(ROLES as readonly string[]).includes(message.role)) {
      throw new AegisError(
        ERROR_CODES.INVALID_ARGUMENT,
        `messages[${index}].role must be one of ${ROLES.join(', ')}`,
      );
    }
  });
}
