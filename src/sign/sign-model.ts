import { createPublicKey, type X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { buildBundle } from './bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse.js';
import { hashModelFiles, type SerializationMethod } from './hash-files.js';
import { canonicalIgnorePath, listModelFiles } from './model-files.js';
import { loadPrivateKey, publicKeyHint } from './signing-key.js';
import { buildStatement } from './statement.js';

/** Options of `signModel`. */
export interface SignModelOptions {
  modelPath: string;
  /** PEM private key file (EC P-256 recommended; P-384, P-521, Ed25519 also work). */
  privateKeyPath: string;
  /** Where to write the bundle (default `<model>/model.sig` for directories). */
  signaturePath?: string;
  /** Signing certificate followed by its chain (certificate method); omitted for the key method. */
  certificates?: readonly X509Certificate[];
  ignorePaths?: readonly string[];
  allowSymlinks?: boolean;
  hashType?: 'sha256' | 'sha384' | 'sha512';
  method?: SerializationMethod;
  /** Passphrase of an encrypted private key. */
  password?: string;
}

/** What `signModel` produced. */
export interface SignModelResult {
  signaturePath: string;
  files: number;
  bytes: number;
  rootDigest: string;
}

/**
 * Signs a model in the OpenSSF model-signing v1.0 format: a Sigstore bundle holding a DSSE envelope over
 * an in-toto statement with per-file digests.
 */
export async function signModel(options: SignModelOptions): Promise<SignModelResult> {
  const privateKey = await loadPrivateKey(options.privateKeyPath, options.password);
  const modelPath = resolve(options.modelPath);
  const signaturePath = resolve(options.signaturePath ?? `${modelPath.replace(/[\\/]+$/, '')}/model.sig`);
  const ignorePaths = [...(options.ignorePaths ?? []), signaturePath];
  const listing = await listModelFiles({
    modelPath,
    ignorePaths,
    allowSymlinks: options.allowSymlinks ?? false,
  });
  if (listing.files.length === 0) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `no files to sign in ${options.modelPath}`);
  }
  if (options.certificates && options.certificates.length > 0) {
    const leafKey = options.certificates[0]?.publicKey.export({ type: 'spki', format: 'der' });
    const ownKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    if (!leafKey || !ownKey.equals(leafKey)) {
      throw new AegisError(
        ERROR_CODES.SIGN_KEY_INVALID,
        'the signing certificate does not match the private key',
      );
    }
  }
  const hashType = options.hashType ?? 'sha256';
  const method = options.method ?? { kind: 'files' };
  const resources = await hashModelFiles({ files: listing.files, hashType, method });
  const recordedIgnores = (options.ignorePaths ?? []).map((entry) =>
    canonicalIgnorePath(modelPath, resolve(entry)),
  );
  const statement = buildStatement({
    modelName: listing.modelName,
    hashType,
    method,
    allowSymlinks: options.allowSymlinks ?? false,
    ignorePaths: [
      ...new Set([
        ...recordedIgnores,
        canonicalIgnorePath(modelPath, signaturePath),
        '.git',
        '.gitattributes',
        '.github',
        '.gitignore',
      ]),
    ],
    resources,
  });
  const envelope = signEnvelope({
    body: Buffer.from(JSON.stringify(statement), 'utf8'),
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    privateKey,
  });
  const bundle = buildBundle({
    envelope,
    publicKeyHint: publicKeyHint(privateKey),
    ...(options.certificates ? { certificates: options.certificates } : {}),
  });
  await writeFile(signaturePath, `${JSON.stringify(bundle)}\n`);
  const subject = (statement.subject as { digest: { sha256: string } }[])[0];
  return {
    signaturePath,
    files: listing.files.length,
    bytes: listing.files.reduce((sum, file) => sum + file.size, 0),
    rootDigest: subject?.digest.sha256 ?? '',
  };
}
