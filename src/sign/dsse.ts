import { type KeyObject, sign, verify } from 'node:crypto';
import { hashForKey } from './signing-key.js';

/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A DSSE envelope (github.com/secure-systems-lab/dsse, envelope.md), as JSON in a Sigstore bundle. */
export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { sig: string; keyid?: string | null }[];
}

/**
 * Pre-Authentication Encoding, DSSE v1 protocol.md:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII decimal byte counts.
 */
export function preAuthenticationEncoding(payloadType: string, body: Buffer): Buffer {
  const header = `DSSEv1 ${Buffer.byteLength(payloadType, 'utf8')} ${payloadType} ${body.length} `;
  return Buffer.concat([Buffer.from(header, 'utf8'), body]);
}

/** Signs `body` into a DSSE envelope with a private key (ECDSA signatures are DER, as DSSE expects). */
export function signEnvelope(options: {
  body: Buffer;
  payloadType: string;
  privateKey: KeyObject;
}): DsseEnvelope {
  const message = preAuthenticationEncoding(options.payloadType, options.body);
  const signature = sign(hashForKey(options.privateKey), message, options.privateKey);
  return {
    payload: options.body.toString('base64'),
    payloadType: options.payloadType,
    signatures: [{ sig: signature.toString('base64'), keyid: '' }],
  };
}

/** True when any signature of the envelope verifies with `publicKey`. */
export function verifyEnvelope(envelope: DsseEnvelope, publicKey: KeyObject): boolean {
  const body = Buffer.from(envelope.payload, 'base64');
  const message = preAuthenticationEncoding(envelope.payloadType, body);
  return envelope.signatures.some((entry) => {
    try {
      return verify(hashForKey(publicKey), message, publicKey, Buffer.from(entry.sig, 'base64'));
    } catch {
      return false;
    }
  });
}
