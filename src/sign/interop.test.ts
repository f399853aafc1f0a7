import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCertificates } from './certificate-chain.js';
import { rootDigest } from './hash-files.js';
import { loadPublicKey } from './signing-key.js';
import { parseStatement } from './statement.js';
import { loadTrustedRoot } from './trusted-root.js';
import { verifyModel } from './verify-model.js';

// Interop with the OpenSSF model-signing reference implementation: real bundles from
// sigstore/model-transparency in ../shared/data (present beside checkouts and in CI, absent on a
// user's fresh clone, where this suite is skipped).
const FIXTURES = new URL('../../../shared/data/models/model-transparency/scripts/tests/', import.meta.url)
  .pathname;
const present = existsSync(FIXTURES);

describe.skipIf(!present)('model-transparency bundles', () => {
  const keys = join(FIXTURES, 'keys', 'certificate');
  const versions = present ? readdirSync(FIXTURES).filter((name) => /^v\d/.test(name)) : [];

  for (const version of versions.filter((name) => name.endsWith('-elliptic-key'))) {
    it(`verifies ${version} with the public key`, async () => {
      const dir = join(FIXTURES, version);
      // v0.3.1 and v1.0.0 signed the single file signme-1.
      const singleFile = /^v(0\.3\.1|1\.0\.0)-/.test(version);
      const result = await verifyModel({
        modelPath: singleFile ? join(dir, 'signme-1') : dir,
        signaturePath: join(dir, 'model.sig'),
        publicKey: await loadPublicKey(join(keys, 'signing-key-pub.pem')),
        ignorePaths: [join(dir, 'ignore-me')],
      });
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ ok: true, signatureValid: true, changed: [], added: [], removed: [] });
    });
  }

  for (const version of versions.filter(
    (name) => name.endsWith('-certificate') && name !== 'v0.2.0-certificate',
  )) {
    it(`verifies ${version} against the root CA`, async () => {
      const dir = join(FIXTURES, version);
      const result = await verifyModel({
        modelPath: dir,
        signaturePath: join(dir, 'model.sig'),
        trustAnchors: await loadCertificates([join(keys, 'ca-cert.pem')]),
        ignorePaths: [join(dir, 'ignore-me')],
      });
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }

  const trustConfig = join(FIXTURES, '..', '..', 'tests', '_signing', 'testdata', 'custom_trust_config.json');
  for (const version of versions.filter((name) => name.endsWith('-sigstore'))) {
    it(`verifies ${version} offline: certificate chain, signed entry timestamp, identity`, async () => {
      const dir = join(FIXTURES, version);
      const result = await verifyModel({
        modelPath: dir,
        signaturePath: join(dir, 'model.sig'),
        trustedRoot: await loadTrustedRoot(trustConfig),
        identity: 'stefanb@us.ibm.com',
        identityProvider: 'https://sigstore.verify.ibm.com/oauth2',
        ignorePaths: [join(dir, 'ignore-me')],
      });
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ ok: true, method: 'sigstore', signatureValid: true });
    });
  }

  it('rejects a Sigstore bundle with a forged log time or the wrong identity', async () => {
    const dir = join(FIXTURES, 'v1.1.0-sigstore');
    const bundle = JSON.parse(readFileSync(join(dir, 'model.sig'), 'utf8'));
    bundle.verificationMaterial.tlogEntries[0].integratedTime = '1760000000';
    const forged = join(mkdtempSync(join(tmpdir(), 'aegis-interop-')), 'forged.sig');
    writeFileSync(forged, JSON.stringify(bundle));
    const trustedRoot = await loadTrustedRoot(trustConfig);
    const ignorePaths = [join(dir, 'ignore-me'), join(dir, 'model.sig')];
    const forgedResult = await verifyModel({
      modelPath: dir,
      signaturePath: forged,
      trustedRoot,
      ignorePaths,
    });
    expect(forgedResult.ok).toBe(false);
    expect(forgedResult.problems).toContain('the signed entry timestamp does not verify');
    const wrongIdentity = await verifyModel({
      modelPath: dir,
      signaturePath: join(dir, 'model.sig'),
      trustedRoot,
      identity: 'someone@example.com',
      ignorePaths,
    });
    expect(wrongIdentity.ok).toBe(false);
  });

  it('detects a modified file against a real bundle', async () => {
    const dir = join(FIXTURES, 'v1.1.0-elliptic-key');
    // The v1.1.0-certificate directory holds a different signme-1: it must be reported as changed.
    const result = await verifyModel({
      modelPath: join(FIXTURES, 'v1.1.0-certificate'),
      signaturePath: join(dir, 'model.sig'),
      publicKey: await loadPublicKey(join(keys, 'signing-key-pub.pem')),
      ignorePaths: [
        join(FIXTURES, 'v1.1.0-certificate', 'ignore-me'),
        join(FIXTURES, 'v1.1.0-certificate', 'model.sig'),
      ],
    });
    expect(result.signatureValid).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.changed).toEqual(['signme-1']);
  });

  it('computes the same root digest as the reference implementation for every expected payload', () => {
    const payloads = join(FIXTURES, '..', '..', 'tests', '_signing', 'testdata', 'signing', 'TestPayload');
    let checked = 0;
    for (const name of readdirSync(payloads)) {
      const statement = JSON.parse(readFileSync(join(payloads, name), 'utf8'));
      const manifest = parseStatement(statement);
      expect(rootDigest(manifest.resources), name).toBe(statement.subject[0].digest.sha256);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});
