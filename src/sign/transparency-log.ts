import { createHash, verify } from 'node:crypto';
import type { DsseEnvelope } from './dsse.js';
import type { TrustedLog } from './trusted-root.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Result of checking the transparency-log entries of a Sigstore bundle. */
export interface TransparencyCheck {
  verified: boolean;
  integratedTime?: Date;
  problems: string[];
}

/**
 * Checks a Rekor entry offline: the signed entry timestamp (the log's promise of inclusion) against a
 * trusted log key, and that the logged `dsse` entry is this envelope (payload hash and signature).
 * The SET signs canonical JSON `{"body","integratedTime","logID","logIndex"}` (Rekor's
 * pkg/api/entries.go; keys sorted, no whitespace).
 */
export function checkTransparencyLog(options: {
  tlogEntries: readonly unknown[];
  envelope: DsseEnvelope;
  logs: readonly TrustedLog[];
}): TransparencyCheck {
  const problems: string[] = [];
  for (const entry of options.tlogEntries) {
    if (!isRecord(entry) || !isRecord(entry.logId) || !isRecord(entry.inclusionPromise)) continue;
    const logId = Buffer.from(String(entry.logId.keyId ?? ''), 'base64').toString('hex');
    const log = options.logs.find((candidate) => candidate.logId === logId);
    if (!log) {
      problems.push(`transparency log ${logId.slice(0, 16)}… is not in the trusted root`);
      continue;
    }
    const body = String(entry.canonicalizedBody ?? '');
    const integratedTime = Number(entry.integratedTime);
    const logIndex = Number(entry.logIndex);
    const promised = `{"body":${JSON.stringify(body)},"integratedTime":${integratedTime},"logID":${JSON.stringify(logId)},"logIndex":${logIndex}}`;
    const signature = Buffer.from(String(entry.inclusionPromise.signedEntryTimestamp ?? ''), 'base64');
    let setValid = false;
    try {
      setValid = verify('sha256', Buffer.from(promised), log.publicKey, signature);
    } catch {
      setValid = false;
    }
    if (!setValid) {
      problems.push('the signed entry timestamp does not verify');
      continue;
    }
    let logged: unknown;
    try {
      logged = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
    } catch {
      problems.push('the logged entry is not JSON');
      continue;
    }
    const spec = isRecord(logged) && isRecord(logged.spec) ? logged.spec : undefined;
    const payloadHash = spec && isRecord(spec.payloadHash) ? spec.payloadHash.value : undefined;
    const expectedHash = createHash('sha256')
      .update(Buffer.from(options.envelope.payload, 'base64'))
      .digest('hex');
    const loggedSignatures = spec && Array.isArray(spec.signatures) ? spec.signatures : [];
    const signatureLogged = loggedSignatures.some(
      (item) => isRecord(item) && options.envelope.signatures.some((own) => own.sig === item.signature),
    );
    if (payloadHash !== expectedHash || !signatureLogged) {
      problems.push('the transparency-log entry is for a different envelope');
      continue;
    }
    return { verified: true, integratedTime: new Date(integratedTime * 1000), problems: [] };
  }
  if (problems.length === 0)
    problems.push('the bundle has no transparency-log entry with an inclusion promise');
  return { verified: false, problems };
}

/** The OIDC issuer recorded by Fulcio in a certificate (OID 1.3.6.1.4.1.57264.1.8, or legacy .1.1). */
export function fulcioIssuer(certificateDer: Buffer): string | undefined {
  for (const lastArc of [0x08, 0x01]) {
    const oid = Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, lastArc]);
    let index = certificateDer.indexOf(oid);
    if (index < 0) continue;
    index += oid.length;
    if (certificateDer[index] === 0x01) index += 3; // critical BOOLEAN
    if (certificateDer[index] !== 0x04) continue; // OCTET STRING (short form lengths suffice here)
    const length = certificateDer[index + 1] ?? 0;
    let value = certificateDer.subarray(index + 2, index + 2 + length);
    if (lastArc === 0x08 && value[0] === 0x0c) value = value.subarray(2, 2 + (value[1] ?? 0)); // UTF8String
    return value.toString('utf8');
  }
  return undefined;
}
