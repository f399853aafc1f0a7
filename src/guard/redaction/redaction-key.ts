import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedactionKeySource } from '../../policy/policy-types.js';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';

/** Sub-keys derived from the one redaction key, so hashing and encryption never share key material. */
export interface RedactionKeys {
  hash: Buffer;
  encrypt: Buffer;
}

const MIN_KEY_BYTES = 32;

/** How key text is recognised (hex first, then base64, else raw bytes). */
export const KEY_PATTERNS = { hex: /^[0-9a-fA-F]{64,}$/, base64: /^[A-Za-z0-9+/_-]{43,}={0,2}$/ } as const;

/** Parses key text as hex, then base64, then raw bytes; at least 32 bytes of key are required. */
function parseKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  let key: Buffer;
  if (KEY_PATTERNS.hex.test(trimmed) && trimmed.length % 2 === 0) key = Buffer.from(trimmed, 'hex');
  else if (KEY_PATTERNS.base64.test(trimmed)) key = Buffer.from(trimmed, 'base64');
  else key = Buffer.from(trimmed, 'utf8');
  if (key.length < MIN_KEY_BYTES) {
    throw new AegisError(
      ERROR_CODES.REDACTION_KEY_MISSING,
      `redaction key from ${origin} is too short: need at least ${MIN_KEY_BYTES} bytes (64 hex characters)`,
    );
  }
  return key;
}

/**
 * Reads the redaction key from the environment variable, else from the file, and derives the hash
 * and encryption sub-keys with HKDF-SHA256 (RFC 5869). Throws `REDACTION_KEY_MISSING` when neither
 * source holds a usable key.
 */
export function loadRedactionKeys(source: RedactionKeySource, environment = process.env): RedactionKeys {
  let master: Buffer | undefined;
  const fromEnvironment = environment[source.env];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    master = parseKey(fromEnvironment, `environment variable ${source.env}`);
  } else if (source.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      throw new AegisError(
        ERROR_CODES.REDACTION_KEY_MISSING,
        `cannot read redaction key file ${source.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        { cause: error },
      );
    }
    master = parseKey(text, `file ${source.file}`);
  }
  if (master === undefined) {
    throw new AegisError(
      ERROR_CODES.REDACTION_KEY_MISSING,
      `the hash and encrypt redaction operators need a key: set ${source.env} (64 hex characters)${source.file ? ` or create ${source.file}` : ''}`,
    );
  }
  const derive = (info: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return { hash: derive('aegis/redaction/hash'), encrypt: derive('aegis/redaction/encrypt') };
}
