import { X509Certificate } from 'node:crypto';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { DsseEnvelope } from './dsse.js';

/** Sigstore bundle media type written by model_signing ≥ 0.3 (sigstore protobuf-specs bundle v0.3). */
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const ACCEPTED_MEDIA_TYPES = new Set([
  BUNDLE_MEDIA_TYPE,
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
]);

/** How a bundle says it should be verified. */
export type VerificationMaterial =
  | { kind: 'key'; hint?: string; embeddedKeyPem?: string; keyDetails?: string }
  | { kind: 'certificate-chain'; certificates: X509Certificate[] }
  | { kind: 'sigstore'; certificate: X509Certificate; tlogEntries: unknown[] };

/** A parsed bundle. */
export interface ParsedBundle {
  mediaType: string;
  material: VerificationMaterial;
  envelope: DsseEnvelope;
}

function malformed(message: string, cause?: unknown): AegisError {
  return new AegisError(ERROR_CODES.SIGNATURE_MALFORMED, `signature bundle: ${message}`, { cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function certificateFromRaw(raw: unknown): X509Certificate {
  if (!isRecord(raw) || typeof raw.rawBytes !== 'string') throw malformed('certificate without rawBytes');
  try {
    return new X509Certificate(Buffer.from(raw.rawBytes, 'base64'));
  } catch (cause) {
    throw malformed('certificate is not valid DER', cause);
  }
}

/** Parses a Sigstore bundle JSON text (spec §8.1: the media type is checked). */
export function parseBundle(text: string): ParsedBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw malformed('not valid JSON', cause);
  }
  if (!isRecord(json)) throw malformed('not a JSON object');
  if (typeof json.mediaType !== 'string' || !ACCEPTED_MEDIA_TYPES.has(json.mediaType)) {
    throw malformed(`unsupported mediaType ${JSON.stringify(json.mediaType)}`);
  }
  const envelope = json.dsseEnvelope;
  if (
    !isRecord(envelope) ||
    typeof envelope.payload !== 'string' ||
    typeof envelope.payloadType !== 'string' ||
    !Array.isArray(envelope.signatures) ||
    envelope.signatures.length === 0
  ) {
    throw malformed('missing or invalid dsseEnvelope');
  }
  const signatures = envelope.signatures.map((entry) => {
    if (!isRecord(entry) || typeof entry.sig !== 'string') throw malformed('invalid DSSE signature entry');
    return { sig: entry.sig, keyid: typeof entry.keyid === 'string' ? entry.keyid : null };
  });
  const material = json.verificationMaterial;
  if (!isRecord(material)) throw malformed('missing verificationMaterial');
  let parsed: VerificationMaterial;
  if (isRecord(material.publicKey)) {
    const key = material.publicKey;
    parsed = {
      kind: 'key',
      ...(typeof key.hint === 'string' ? { hint: key.hint } : {}),
      ...(typeof key.rawBytes === 'string'
        ? { embeddedKeyPem: Buffer.from(key.rawBytes, 'base64').toString('utf8') }
        : {}),
      ...(typeof key.keyDetails === 'string' ? { keyDetails: key.keyDetails } : {}),
    };
  } else if (
    isRecord(material.x509CertificateChain) &&
    Array.isArray(material.x509CertificateChain.certificates)
  ) {
    const certificates = material.x509CertificateChain.certificates.map(certificateFromRaw);
    if (certificates.length === 0) throw malformed('empty certificate chain');
    parsed = { kind: 'certificate-chain', certificates };
  } else if (isRecord(material.certificate)) {
    parsed = {
      kind: 'sigstore',
      certificate: certificateFromRaw(material.certificate),
      tlogEntries: Array.isArray(material.tlogEntries) ? material.tlogEntries : [],
    };
  } else {
    throw malformed('verificationMaterial has no publicKey, certificate chain or certificate');
  }
  return {
    mediaType: json.mediaType,
    material: parsed,
    envelope: { payload: envelope.payload, payloadType: envelope.payloadType, signatures },
  };
}

/** Serialises a bundle for the `key` or `certificate` signing methods. */
export function buildBundle(options: {
  envelope: DsseEnvelope;
  publicKeyHint?: string;
  certificates?: readonly X509Certificate[];
}): Record<string, unknown> {
  const verificationMaterial =
    options.certificates && options.certificates.length > 0
      ? {
          x509CertificateChain: {
            certificates: options.certificates.map((certificate) => ({
              rawBytes: certificate.raw.toString('base64'),
            })),
          },
          tlogEntries: [],
        }
      : { publicKey: { hint: options.publicKeyHint ?? '' }, tlogEntries: [] };
  return { mediaType: BUNDLE_MEDIA_TYPE, verificationMaterial, dsseEnvelope: options.envelope };
}
