import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** Environment variable holding the 32-byte audit payload key (base64 or 64 hex digits). */
export const AUDIT_KEY_ENV = 'AEGIS_AUDIT_KEY';
/** Environment variable naming a file that holds the key (same encodings). */
export const AUDIT_KEY_FILE_ENV = 'AEGIS_AUDIT_KEY_FILE';

/** A payload sealed with AES-256-GCM; all binary fields base64. */
export interface SealedPayload {
  alg: 'A256GCM';
  iv: string;
  tag: string;
  ciphertext: string;
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new AegisError(
      ERROR_CODES.AUDIT_KEY_MISSING,
      `the audit key from ${source} must be 32 bytes (base64 or 64 hex digits)`,
    );
  }
  return key;
}

/**
 * Loads the audit payload key from `AEGIS_AUDIT_KEY` or the file named by `AEGIS_AUDIT_KEY_FILE`
 * (or an explicit `keyFile`). Throws `AUDIT_KEY_MISSING` when none is set. Generate one with
 * `openssl rand -base64 32`.
 */
export function loadAuditKey(options: { env?: NodeJS.ProcessEnv; keyFile?: string } = {}): Buffer {
  const env = options.env ?? process.env;
  const file = options.keyFile ?? env[AUDIT_KEY_FILE_ENV];
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new AegisError(ERROR_CODES.AUDIT_KEY_MISSING, `cannot read the audit key file ${file}`, {
        cause,
      });
    }
    return decodeKey(text, file);
  }
  const value = env[AUDIT_KEY_ENV];
  if (value === undefined || value === '') {
    throw new AegisError(
      ERROR_CODES.AUDIT_KEY_MISSING,
      `full audit payloads are encrypted: set ${AUDIT_KEY_ENV} or ${AUDIT_KEY_FILE_ENV} to a 32-byte key`,
    );
  }
  return decodeKey(value, AUDIT_KEY_ENV);
}

/**
 * Encrypts a JSON value with AES-256-GCM (NIST SP 800-38D): a fresh 96-bit random IV per payload and
 * the record id as additional authenticated data, so a ciphertext cannot be moved to another record.
 */
export function sealPayload(options: { key: Buffer; value: unknown; recordId: string }): SealedPayload {
  return sealPayloadJson({
    key: options.key,
    json: JSON.stringify(options.value),
    recordId: options.recordId,
  });
}

/** `sealPayload` for a value already serialised with `JSON.stringify` (the same bytes are encrypted). */
export function sealPayloadJson(options: { key: Buffer; json: string; recordId: string }): SealedPayload {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', options.key, iv);
  cipher.setAAD(Buffer.from(options.recordId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(options.json, 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Decrypts a sealed payload; throws `AUDIT_DECRYPT_FAILED` on a wrong key or altered data. */
export function openPayload(options: { key: Buffer; sealed: SealedPayload; recordId: string }): unknown {
  try {
    const decipher = createDecipheriv('aes-256-gcm', options.key, Buffer.from(options.sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(options.recordId, 'utf8'));
    decipher.setAuthTag(Buffer.from(options.sealed.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(options.sealed.ciphertext, 'base64')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } catch (cause) {
    throw new AegisError(
      ERROR_CODES.AUDIT_DECRYPT_FAILED,
      `cannot decrypt the payload of audit record ${options.recordId}: wrong key or altered data`,
      { cause },
    );
  }
}
