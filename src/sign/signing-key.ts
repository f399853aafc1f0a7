import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

const CURVES: Record<string, { hash: string; details: string }> = {
  prime256v1: { hash: 'sha256', details: 'PKIX_ECDSA_P256_SHA_256' },
  secp384r1: { hash: 'sha384', details: 'PKIX_ECDSA_P384_SHA_384' },
  secp521r1: { hash: 'sha512', details: 'PKIX_ECDSA_P521_SHA_512' },
};

/** Hash algorithm a key signs with (ECDSA: by curve, per Sigstore's key details; Ed25519: none). */
export function hashForKey(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null;
  if (key.asymmetricKeyType === 'ec') {
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve) return curve.hash;
  }
  if (key.asymmetricKeyType === 'rsa') return 'sha256';
  throw new AegisError(ERROR_CODES.SIGN_KEY_INVALID, `unsupported key type: ${describeKey(key)}`);
}

/** Sigstore `keyDetails` name of a key (e.g. `PKIX_ECDSA_P256_SHA_256`). */
export function keyDetails(key: KeyObject): string {
  if (key.asymmetricKeyType === 'ed25519') return 'PKIX_ED25519';
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (key.asymmetricKeyType === 'ec' && curve) return curve.details;
  throw new AegisError(ERROR_CODES.SIGN_KEY_INVALID, `unsupported key type: ${describeKey(key)}`);
}

function describeKey(key: KeyObject): string {
  return `${key.asymmetricKeyType ?? 'unknown'}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}`;
}

/** SHA-256 of the DER SubjectPublicKeyInfo: a stable hint naming the key in a bundle. */
export function publicKeyHint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

async function readKeyFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new AegisError(ERROR_CODES.SIGN_KEY_INVALID, `cannot read key file ${path}`, { cause });
  }
}

/** Loads a PEM private key (EC P-256/P-384/P-521 or Ed25519); the password comes from an env var if set. */
export async function loadPrivateKey(path: string, password?: string): Promise<KeyObject> {
  const pem = await readKeyFile(path);
  try {
    const key = createPrivateKey(password === undefined ? pem : { key: pem, passphrase: password });
    hashForKey(key);
    return key;
  } catch (cause) {
    if (cause instanceof AegisError) throw cause;
    throw new AegisError(ERROR_CODES.SIGN_KEY_INVALID, `not a usable PEM private key: ${path}`, { cause });
  }
}

/** Loads a PEM public key, or the public key of a PEM certificate or private key. */
export async function loadPublicKey(path: string): Promise<KeyObject> {
  const pem = await readKeyFile(path);
  try {
    return createPublicKey(pem);
  } catch (cause) {
    throw new AegisError(ERROR_CODES.SIGN_KEY_INVALID, `not a usable PEM public key: ${path}`, { cause });
  }
}
