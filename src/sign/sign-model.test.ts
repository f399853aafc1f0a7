import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AegisError } from '../spec/errors.js';
import { loadCertificates } from './certificate-chain.js';
import { signModel } from './sign-model.js';
import { loadPublicKey } from './signing-key.js';
import { verifyModel } from './verify-model.js';

const work = mkdtempSync(join(tmpdir(), 'aegis-sign-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function keyPair(name: string, curve = 'P-256'): { privatePath: string; publicPath: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const privatePath = join(work, `${name}.pem`);
  const publicPath = join(work, `${name}.pub.pem`);
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privatePath, publicPath };
}

function makeModel(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'sub'), { recursive: true });
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), '{"layers":2}');
  writeFileSync(join(dir, 'model.safetensors'), Buffer.alloc(3000, 7));
  writeFileSync(join(dir, 'sub', 'tokenizer.json'), '{}');
  writeFileSync(join(dir, 'empty.bin'), '');
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: main');
  return dir;
}

describe('signModel / verifyModel (key method)', () => {
  const keys = keyPair('p256');

  it('signs and verifies a directory, then names every changed, added and removed file', async () => {
    const dir = makeModel('model-a');
    const signed = await signModel({ modelPath: dir, privateKeyPath: keys.privatePath });
    expect(signed.files).toBe(4);
    const bundle = JSON.parse(readFileSync(signed.signaturePath, 'utf8'));
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
    expect(statement.predicateType).toBe('https://model_signing/signature/v1.0');
    expect(statement.predicate.resources.map((resource: { name: string }) => resource.name)).toEqual([
      'config.json',
      'empty.bin',
      'model.safetensors',
      'sub/tokenizer.json',
    ]);
    const publicKey = await loadPublicKey(keys.publicPath);
    const good = await verifyModel({ modelPath: dir, signaturePath: signed.signaturePath, publicKey });
    expect(good).toMatchObject({ ok: true, signatureValid: true, changed: [], added: [], removed: [] });

    writeFileSync(join(dir, 'config.json'), '{"layers":3}');
    writeFileSync(join(dir, 'extra.py'), 'import os');
    unlinkSync(join(dir, 'sub', 'tokenizer.json'));
    const bad = await verifyModel({ modelPath: dir, signaturePath: signed.signaturePath, publicKey });
    expect(bad.ok).toBe(false);
    expect(bad.signatureValid).toBe(true);
    expect(bad.changed).toEqual(['config.json']);
    expect(bad.added).toEqual(['extra.py']);
    expect(bad.removed).toEqual(['sub/tokenizer.json']);
    const lenient = await verifyModel({
      modelPath: dir,
      signaturePath: signed.signaturePath,
      publicKey,
      ignoreUnsignedFiles: true,
    });
    expect(lenient.added).toEqual([]);
  });

  it('rejects a signature made by another key and a tampered payload', async () => {
    const dir = makeModel('model-b');
    const signed = await signModel({
      modelPath: dir,
      privateKeyPath: keys.privatePath,
      signaturePath: join(work, 'b.sig'),
    });
    const other = keyPair('other');
    const wrong = await verifyModel({
      modelPath: dir,
      signaturePath: signed.signaturePath,
      publicKey: await loadPublicKey(other.publicPath),
    });
    expect(wrong).toMatchObject({ ok: false, signatureValid: false });

    const bundle = JSON.parse(readFileSync(signed.signaturePath, 'utf8'));
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
    statement.predicate.resources[0].digest = '0'.repeat(64);
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const tamperedPath = join(work, 'b-tampered.sig');
    writeFileSync(tamperedPath, JSON.stringify(bundle));
    const tampered = await verifyModel({
      modelPath: dir,
      signaturePath: tamperedPath,
      publicKey: await loadPublicKey(keys.publicPath),
    });
    expect(tampered.signatureValid).toBe(false);
    expect(tampered.ok).toBe(false);
  });

  it('signs single files, shards and P-384 keys', async () => {
    const dir = makeModel('model-c');
    const p384 = keyPair('p384', 'P-384');
    const sharded = await signModel({
      modelPath: dir,
      privateKeyPath: p384.privatePath,
      signaturePath: join(work, 'c.sig'),
      method: { kind: 'shards', shardSize: 1024, style: 'reference' },
    });
    const publicKey = await loadPublicKey(p384.publicPath);
    expect((await verifyModel({ modelPath: dir, signaturePath: sharded.signaturePath, publicKey })).ok).toBe(
      true,
    );
    const bytes = readFileSync(join(dir, 'model.safetensors'));
    bytes[2500] = 1;
    writeFileSync(join(dir, 'model.safetensors'), bytes);
    expect(
      (await verifyModel({ modelPath: dir, signaturePath: sharded.signaturePath, publicKey })).changed,
    ).toEqual(['model.safetensors']);
    const single = await signModel({
      modelPath: join(dir, 'config.json'),
      privateKeyPath: p384.privatePath,
      signaturePath: join(work, 'single.sig'),
    });
    expect(
      (
        await verifyModel({
          modelPath: join(dir, 'config.json'),
          signaturePath: single.signaturePath,
          publicKey,
        })
      ).ok,
    ).toBe(true);
  });

  it('gives clear errors for missing keys, unreadable and malformed bundles', async () => {
    const dir = makeModel('model-d');
    await expect(
      signModel({ modelPath: dir, privateKeyPath: join(work, 'missing.pem') }),
    ).rejects.toMatchObject({
      code: 'AEGIS_SIGN_KEY_INVALID',
    });
    const garbage = join(work, 'garbage.sig');
    writeFileSync(garbage, '{"mediaType":"nope"}');
    await expect(
      verifyModel({
        modelPath: dir,
        signaturePath: garbage,
        publicKey: await loadPublicKey(keys.publicPath),
      }),
    ).rejects.toMatchObject({ code: 'AEGIS_SIGNATURE_MALFORMED' });
  });

  it('never crashes on mutated bundles (fuzz)', async () => {
    const dir = makeModel('model-e');
    const signed = await signModel({
      modelPath: dir,
      privateKeyPath: keys.privatePath,
      signaturePath: join(work, 'e.sig'),
    });
    const original = readFileSync(signed.signaturePath);
    const publicKey = await loadPublicKey(keys.publicPath);
    const target = join(work, 'e-mutated.sig');
    await fc.assert(
      fc.asyncProperty(
        fc.nat(original.length - 1),
        fc.integer({ min: 0, max: 255 }),
        async (offset, value) => {
          const mutated = Buffer.from(original);
          mutated[offset] = value;
          writeFileSync(target, mutated);
          try {
            const result = await verifyModel({ modelPath: dir, signaturePath: target, publicKey });
            if (mutated.equals(original)) expect(result.ok).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(AegisError);
          }
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('certificate method', () => {
  it('signs with a certificate chain and verifies it against the root only', async () => {
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: 'pipe' });
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'root.key']);
    run([
      'req',
      '-x509',
      '-new',
      '-key',
      'root.key',
      '-subj',
      '/CN=test-root',
      '-days',
      '30',
      '-out',
      'root.pem',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'int.key']);
    run(['req', '-new', '-key', 'int.key', '-subj', '/CN=test-int', '-out', 'int.csr']);
    writeFileSync(join(work, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\n');
    run([
      'x509',
      '-req',
      '-in',
      'int.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-out',
      'int.pem',
      '-extfile',
      'ca.ext',
    ]);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'leaf.key']);
    run(['pkcs8', '-topk8', '-nocrypt', '-in', 'leaf.key', '-out', 'leaf.pk8']);
    run(['req', '-new', '-key', 'leaf.key', '-subj', '/CN=model-signer', '-out', 'leaf.csr']);
    run([
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'int.pem',
      '-CAkey',
      'int.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-out',
      'leaf.pem',
    ]);
    const dir = makeModel('model-cert');
    const certificates = await loadCertificates([join(work, 'leaf.pem'), join(work, 'int.pem')]);
    const signed = await signModel({
      modelPath: dir,
      privateKeyPath: join(work, 'leaf.pk8'),
      certificates,
      signaturePath: join(work, 'cert.sig'),
    });
    const trustAnchors = await loadCertificates([join(work, 'root.pem')]);
    const result = await verifyModel({ modelPath: dir, signaturePath: signed.signaturePath, trustAnchors });
    expect(result).toMatchObject({ ok: true, method: 'certificate', signatureValid: true });
    const strangers = await loadCertificates([join(work, 'int.pem')]).then(() => {
      run([
        'req',
        '-x509',
        '-new',
        '-key',
        'int.key',
        '-subj',
        '/CN=stranger',
        '-days',
        '30',
        '-out',
        'stranger.pem',
      ]);
      return loadCertificates([join(work, 'stranger.pem')]);
    });
    const untrusted = await verifyModel({
      modelPath: dir,
      signaturePath: signed.signaturePath,
      trustAnchors: strangers,
    });
    expect(untrusted.ok).toBe(false);
    expect(untrusted.problems.join(' ')).toMatch(/not issued by the chain or a trusted root/);
  });
});
