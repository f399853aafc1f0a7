import { createHmac } from 'node:crypto';
import { placeholderType } from '../placeholder-pattern.js';
import type { RedactionOperator } from './redaction-operator.js';

/**
 * Replaces a value with a keyed HMAC-SHA256 digest (`<EMAIL_ADDRESS#3f9a…>`, 64 bits shown). Equal values
 * give equal tokens across conversations, so data stays joinable, but without the key the value cannot
 * be guessed by hashing candidates. Not reversible.
 */
export function createHashOperator(key: Buffer): RedactionOperator {
  return {
    name: 'hash',
    apply: ({ type, value }) => {
      const digest = createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16);
      return `<${placeholderType(type)}#${digest}>`;
    },
  };
}
