import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** Reads every PEM certificate in the given files. */
export async function loadCertificates(paths: readonly string[]): Promise<X509Certificate[]> {
  const certificates: X509Certificate[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      throw new AegisError(ERROR_CODES.CERTIFICATE_INVALID, `cannot read certificate file ${path}`, {
        cause,
      });
    }
    const blocks =
      text.match(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]{1,65536}?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0)
      throw new AegisError(ERROR_CODES.CERTIFICATE_INVALID, `no PEM certificate in ${path}`);
    for (const block of blocks) certificates.push(new X509Certificate(block));
  }
  return certificates;
}

function validAt(certificate: X509Certificate, time: Date): boolean {
  return new Date(certificate.validFrom) <= time && time <= new Date(certificate.validTo);
}

/**
 * Verifies that `chain[0]` (the leaf) chains through the rest of `chain` to one of `trustAnchors`
 * (RFC 5280 path validation reduced to what model signing needs: signatures, issuer names, CA flags
 * on issuers, validity at `time`). Throws `CERTIFICATE_INVALID` naming the failing link.
 */
export function verifyCertificateChain(options: {
  chain: readonly X509Certificate[];
  trustAnchors: readonly X509Certificate[];
  time?: Date;
}): void {
  const time = options.time ?? new Date();
  const [leaf, ...rest] = options.chain;
  if (!leaf) throw new AegisError(ERROR_CODES.CERTIFICATE_INVALID, 'empty certificate chain');
  if (!validAt(leaf, time)) {
    throw new AegisError(
      ERROR_CODES.CERTIFICATE_INVALID,
      `signing certificate not valid at ${time.toISOString()}`,
    );
  }
  const isAnchor = (certificate: X509Certificate): boolean =>
    options.trustAnchors.some((anchor) => anchor.fingerprint256 === certificate.fingerprint256);
  const issuedByAnchor = (certificate: X509Certificate): boolean =>
    options.trustAnchors.some(
      (anchor) =>
        certificate.checkIssued(anchor) && certificate.verify(anchor.publicKey) && validAt(anchor, time),
    );
  let current = leaf;
  for (let depth = 0; depth <= rest.length; depth++) {
    if (isAnchor(current) || issuedByAnchor(current)) return;
    const issuer = rest.find(
      (candidate) => current.checkIssued(candidate) && current.verify(candidate.publicKey),
    );
    if (!issuer) {
      throw new AegisError(
        ERROR_CODES.CERTIFICATE_INVALID,
        `certificate "${current.subject.replaceAll('\n', ', ')}" is not issued by the chain or a trusted root`,
      );
    }
    if (!issuer.ca)
      throw new AegisError(ERROR_CODES.CERTIFICATE_INVALID, `issuer "${issuer.subject}" is not a CA`);
    if (!validAt(issuer, time)) {
      throw new AegisError(
        ERROR_CODES.CERTIFICATE_INVALID,
        `issuer "${issuer.subject}" not valid at ${time.toISOString()}`,
      );
    }
    current = issuer;
  }
  throw new AegisError(ERROR_CODES.CERTIFICATE_INVALID, 'certificate chain does not reach a trusted root');
}
