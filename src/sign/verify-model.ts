import type { KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { parseBundle } from './bundle.js';
import { verifyCertificateChain } from './certificate-chain.js';
import { IN_TOTO_PAYLOAD_TYPE, verifyEnvelope } from './dsse.js';
import { hashModelFiles, type ManifestResource } from './hash-files.js';
import { canonicalIgnorePath, listModelFiles } from './model-files.js';
import { parseStatement, type SignedManifest } from './statement.js';
import { checkTransparencyLog, fulcioIssuer } from './transparency-log.js';
import type { TrustedRoot } from './trusted-root.js';

/** Options of `verifyModel`. */
export interface VerifyModelOptions {
  modelPath: string;
  signaturePath: string;
  /** Public key for bundles signed with the key method. */
  publicKey?: KeyObject;
  /** Trusted root (and intermediate) certificates for the certificate and Sigstore methods. */
  trustAnchors?: readonly X509Certificate[];
  /** Sigstore trusted root (Fulcio CAs and Rekor keys) for offline verification of Sigstore bundles. */
  trustedRoot?: TrustedRoot;
  /** For Sigstore bundles: the expected signer identity (email or URI in the certificate SAN). */
  identity?: string;
  /** For Sigstore bundles: the expected OIDC issuer recorded in the certificate. */
  identityProvider?: string;
  /** Extra paths to ignore, on top of the ones recorded in the signature. */
  ignorePaths?: readonly string[];
  /** Do not fail on files present in the model but absent from the signature. */
  ignoreUnsignedFiles?: boolean;
}

/** Outcome of `verifyModel`: `ok` only when the signature verifies and every file matches. */
export interface VerifyModelResult {
  ok: boolean;
  method: 'key' | 'certificate' | 'sigstore';
  signatureValid: boolean;
  signer?: string;
  predicateType: string;
  files: number;
  changed: string[];
  added: string[];
  removed: string[];
  problems: string[];
  warnings: string[];
}

function fileOf(resourceName: string): string {
  // Shard names: `path:start:end` (reference implementation) or `path:shard-i` (spec draft).
  const reference = /:\d{1,20}:\d{1,20}$/.exec(resourceName);
  if (reference) return resourceName.slice(0, reference.index);
  const spec = /:shard-\d{1,20}$/.exec(resourceName);
  return spec ? resourceName.slice(0, spec.index) : resourceName;
}

/** Verifies a model against an OpenSSF model-signing bundle and names every changed, added or removed file. */
export async function verifyModel(options: VerifyModelOptions): Promise<VerifyModelResult> {
  let text: string;
  try {
    text = await readFile(options.signaturePath, 'utf8');
  } catch (cause) {
    throw new AegisError(ERROR_CODES.NOT_FOUND, `cannot read signature ${options.signaturePath}`, { cause });
  }
  const bundle = parseBundle(text);
  const problems: string[] = [];
  const warnings: string[] = [];
  let signatureValid = false;
  let signer: string | undefined;
  let method: VerifyModelResult['method'];
  const material = bundle.material;
  if (material.kind === 'key') {
    method = 'key';
    if (!options.publicKey)
      throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'this signature needs --key PUBLIC_KEY.pem');
    signatureValid = verifyEnvelope(bundle.envelope, options.publicKey);
  } else {
    method = material.kind === 'certificate-chain' ? 'certificate' : 'sigstore';
    const chain = material.kind === 'certificate-chain' ? material.certificates : [material.certificate];
    const leaf = chain[0] as X509Certificate;
    signer = leaf.subjectAltName ?? leaf.subject.replaceAll('\n', ', ');
    if (options.publicKey) {
      const expected = options.publicKey.export({ type: 'spki', format: 'der' });
      if (!leaf.publicKey.export({ type: 'spki', format: 'der' }).equals(expected)) {
        problems.push('the signing certificate does not carry the given public key');
      }
    }
    const anchors = [...(options.trustAnchors ?? []), ...(options.trustedRoot?.certificateAuthorities ?? [])];
    if (!options.publicKey && anchors.length === 0) {
      throw new AegisError(
        ERROR_CODES.INVALID_ARGUMENT,
        material.kind === 'sigstore'
          ? 'a sigstore signature needs --trusted-root trusted_root.json (or --ca FULCIO_ROOT.pem)'
          : 'a certificate signature needs --ca ROOT.pem (or --key)',
      );
    }
    let time: Date | undefined;
    if (material.kind === 'sigstore') {
      if (options.trustedRoot) {
        const log = checkTransparencyLog({
          tlogEntries: material.tlogEntries,
          envelope: bundle.envelope,
          logs: options.trustedRoot.transparencyLogs,
        });
        problems.push(...log.problems);
        time = log.integratedTime;
      } else {
        warnings.push('transparency-log entry not checked: pass --trusted-root to check it');
      }
      time ??= new Date(leaf.validFrom);
      if (
        options.identity &&
        !(leaf.subjectAltName ?? '').split(/,\s*/).some((name) => name.endsWith(`:${options.identity}`))
      ) {
        problems.push(`signer identity ${signer} does not match ${options.identity}`);
      }
      if (options.identityProvider && fulcioIssuer(leaf.raw) !== options.identityProvider) {
        problems.push(
          `identity provider ${fulcioIssuer(leaf.raw) ?? 'unknown'} does not match ${options.identityProvider}`,
        );
      }
    }
    if (anchors.length > 0) {
      try {
        verifyCertificateChain({ chain, trustAnchors: anchors, ...(time ? { time } : {}) });
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    signatureValid = verifyEnvelope(bundle.envelope, leaf.publicKey);
  }
  if (!signatureValid) problems.push('the signature does not verify');
  if (bundle.envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new AegisError(
      ERROR_CODES.SIGNATURE_MALFORMED,
      `unexpected payloadType ${bundle.envelope.payloadType}`,
    );
  }
  let manifest: SignedManifest;
  try {
    manifest = parseStatement(JSON.parse(Buffer.from(bundle.envelope.payload, 'base64').toString('utf8')));
  } catch (error) {
    if (error instanceof AegisError) throw error;
    throw new AegisError(ERROR_CODES.SIGNATURE_MALFORMED, 'signed payload is not JSON', { cause: error });
  }
  const modelPath = resolve(options.modelPath);
  const ignorePaths = [
    ...manifest.ignorePaths,
    ...(options.ignorePaths ?? []).map((entry) => canonicalIgnorePath(modelPath, resolve(entry))),
    canonicalIgnorePath(modelPath, resolve(options.signaturePath)),
  ];
  const listing = await listModelFiles({ modelPath, ignorePaths, allowSymlinks: manifest.allowSymlinks });
  const actual = await hashModelFiles({
    files: listing.files,
    hashType: manifest.hashType,
    method: manifest.method,
  });
  const expected: ManifestResource[] =
    listing.singleFile && manifest.resources.length === 1 && manifest.resources[0]?.name === '.'
      ? [{ ...(manifest.resources[0] as ManifestResource), name: listing.modelName }]
      : manifest.resources;
  const actualByName = new Map(actual.map((resource) => [resource.name, resource.digest]));
  const expectedByName = new Map(expected.map((resource) => [resource.name, resource.digest]));
  const changed = new Set<string>();
  const removed = new Set<string>();
  const added = new Set<string>();
  const actualFiles = new Set(actual.map((resource) => fileOf(resource.name)));
  const expectedFiles = new Set(expected.map((resource) => fileOf(resource.name)));
  for (const [name, digest] of expectedByName) {
    const file = fileOf(name);
    if (!actualFiles.has(file)) removed.add(file);
    else if (actualByName.get(name) !== digest) changed.add(file);
  }
  for (const name of actualByName.keys()) {
    const file = fileOf(name);
    if (!expectedFiles.has(file)) added.add(file);
    else if (!expectedByName.has(name)) changed.add(file); // a file grew new shards
  }
  if (options.ignoreUnsignedFiles && added.size > 0) {
    warnings.push(`${added.size} unsigned file(s) ignored`);
    added.clear();
  }
  const ok = problems.length === 0 && changed.size === 0 && added.size === 0 && removed.size === 0;
  return {
    ok,
    method,
    signatureValid,
    ...(signer ? { signer } : {}),
    predicateType: manifest.predicateType,
    files: expectedFiles.size,
    changed: [...changed].sort(),
    added: [...added].sort(),
    removed: [...removed].sort(),
    problems,
    warnings,
  };
}
