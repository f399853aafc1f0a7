import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import { placeholderType } from '../placeholder-pattern.js';
import type { RedactionOperator } from './redaction-operator.js';

// Token: `<enc:TYPE:base64url(iv ‖ ciphertext ‖ tag)>`. AES-256-GCM (NIST SP 800-38D) with a random
// 96-bit IV; the type is authenticated as additional data so a token cannot be relabelled.
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Largest value the encrypt operator accepts; bigger spans are refused rather than bloating text. */
const MAX_VALUE_BYTES = 64 * 1024;
/** Finds encrypted tokens; bounded so the scan is linear. */
export const ENCRYPTED_TOKEN_PATTERN = /<enc:([A-Z][A-Z0-9_]{0,80}):([A-Za-z0-9_-]{38,90000})>/g;

/** Replaces a value with an AES-256-GCM token that `decryptTokens` turns back into the value. */
export function createEncryptOperator(key: Buffer): RedactionOperator {
  return {
    name: 'encrypt',
    apply: ({ type, value }) => {
      const safeType = placeholderType(type);
      const plain = Buffer.from(value, 'utf8');
      if (plain.length > MAX_VALUE_BYTES) {
        throw new AegisError(
          ERROR_CODES.REDACTION_FAILED,
          `value of type ${safeType} is too large to encrypt`,
        );
      }
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(safeType, 'utf8'));
      const body = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return `<enc:${safeType}:${body.toString('base64url')}>`;
    },
  };
}

/**
 * Replaces every encrypted token in `text` with its plaintext. A token that fails authentication (wrong
 * key, tampered) is left as it is, so restoring never invents text.
 */
export function decryptTokens(text: string, key: Buffer): string {
  if (text.indexOf('<enc:') === -1) return text;
  return text.replace(ENCRYPTED_TOKEN_PATTERN, (token, type: string, body: string) => {
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) return token;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(type, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return token;
    }
  });
}
