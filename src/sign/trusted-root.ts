import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** A transparency log known to a trusted root: its key, by log id. */
export interface TrustedLog {
  logId: string;
  publicKey: KeyObject;
}

/** What a Sigstore trusted root provides for offline verification. */
export interface TrustedRoot {
  certificateAuthorities: X509Certificate[];
  transparencyLogs: TrustedLog[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Loads a Sigstore `trusted_root.json` (protobuf-specs TrustedRoot, JSON form) or a ClientTrustConfig that
 * wraps one. Only local files are read: nothing is fetched.
 */
export async function loadTrustedRoot(path: string): Promise<TrustedRoot> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new AegisError(ERROR_CODES.CERTIFICATE_INVALID, `cannot read trusted root ${path}`, { cause });
  }
  const root = isRecord(json) && isRecord(json.trustedRoot) ? json.trustedRoot : json;
  if (!isRecord(root)) throw new AegisError(ERROR_CODES.CERTIFICATE_INVALID, `not a trusted root: ${path}`);
  const certificateAuthorities: X509Certificate[] = [];
  for (const authority of Array.isArray(root.certificateAuthorities) ? root.certificateAuthorities : []) {
    const chain =
      isRecord(authority) && isRecord(authority.certChain) ? authority.certChain.certificates : undefined;
    for (const certificate of Array.isArray(chain) ? chain : []) {
      if (isRecord(certificate) && typeof certificate.rawBytes === 'string') {
        certificateAuthorities.push(new X509Certificate(Buffer.from(certificate.rawBytes, 'base64')));
      }
    }
  }
  const transparencyLogs: TrustedLog[] = [];
  for (const log of Array.isArray(root.tlogs) ? root.tlogs : []) {
    if (!isRecord(log) || !isRecord(log.publicKey) || !isRecord(log.logId)) continue;
    if (typeof log.publicKey.rawBytes !== 'string' || typeof log.logId.keyId !== 'string') continue;
    transparencyLogs.push({
      logId: Buffer.from(log.logId.keyId, 'base64').toString('hex'),
      publicKey: createPublicKey({
        key: Buffer.from(log.publicKey.rawBytes, 'base64'),
        format: 'der',
        type: 'spki',
      }),
    });
  }
  return { certificateAuthorities, transparencyLogs };
}
