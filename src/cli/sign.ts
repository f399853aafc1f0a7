import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadCertificates } from '../sign/certificate-chain.js';
import { signModel } from '../sign/sign-model.js';
import { loadPublicKey } from '../sign/signing-key.js';
import { loadTrustedRoot } from '../sign/trusted-root.js';
import { verifyModel } from '../sign/verify-model.js';
import type { CommandContext } from './command.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `aegis sign` and `aegis verify`: OpenSSF model-signing v1.0 bundles. */
export function registerSign(program: Command, context: CommandContext): void {
  program
    .command('sign')
    .description(
      'Sign a model directory or file (OpenSSF model-signing v1.0: Sigstore bundle, DSSE, in-toto).',
    )
    .argument('<model>', 'model directory or single model file')
    .requiredOption(
      '--key <file>',
      'PEM private key (EC P-256 recommended); passphrase from AEGIS_SIGNING_KEY_PASSWORD',
    )
    .option('--output <file>', 'where to write the bundle (default: <model>/model.sig)')
    .option('--certificate <file>', 'signing certificate (PEM) for the certificate method')
    .option('--chain <file>', 'intermediate certificates (PEM), repeatable', collect, [])
    .option('--ignore <path>', 'path to leave out of the signature, repeatable', collect, [])
    .option('--allow-symlinks', 'follow symbolic links instead of refusing them', false)
    .option('--shard-size <bytes>', 'hash files in shards of this size (reference "shards" serialization)')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      '\nExamples:\n  aegis sign ./my-model --key signing-key.pem\n  aegis sign ./my-model --key key.pem --certificate cert.pem --chain int-ca.pem --output my-model.sig\n',
    )
    .action(async (model: string, options) => {
      const certificates = options.certificate
        ? await loadCertificates([options.certificate as string, ...(options.chain as string[])])
        : undefined;
      const shardSize = options.shardSize === undefined ? undefined : Number(options.shardSize);
      const result = await signModel({
        modelPath: model,
        privateKeyPath: options.key,
        ...(options.output ? { signaturePath: options.output } : {}),
        ...(certificates ? { certificates } : {}),
        ignorePaths: options.ignore,
        allowSymlinks: options.allowSymlinks,
        ...(shardSize && shardSize > 0
          ? { method: { kind: 'shards', shardSize, style: 'reference' } as const }
          : {}),
        ...(process.env.AEGIS_SIGNING_KEY_PASSWORD
          ? { password: process.env.AEGIS_SIGNING_KEY_PASSWORD }
          : {}),
      });
      if (options.format === 'json') process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stdout.write(
          `signed ${result.files} file(s), ${result.bytes} bytes\nroot digest sha256:${result.rootDigest}\nsignature ${result.signaturePath}\n`,
        );
      }
      context.setExitCode(0);
    });

  program
    .command('verify')
    .description('Verify a model against a model-signing bundle; names every changed, added or removed file.')
    .argument('<model>', 'model directory or single model file')
    .requiredOption('--signature <file>', 'the bundle (model.sig)')
    .option('--key <file>', 'public key (PEM) for bundles signed with a key')
    .option(
      '--ca <file>',
      'trusted root/intermediate certificate (PEM) for certificate or Sigstore bundles, repeatable',
      collect,
      [],
    )
    .option(
      '--trusted-root <file>',
      'Sigstore trusted_root.json (Fulcio CAs, Rekor keys) for Sigstore bundles',
    )
    .option('--identity <id>', 'expected signer identity, e.g. an email (Sigstore bundles)')
    .option('--identity-provider <url>', 'expected OIDC issuer of the signer (Sigstore bundles)')
    .option('--ignore <path>', 'path to leave out, repeatable', collect, [])
    .option('--ignore-unsigned-files', 'do not fail on files that the signature does not cover', false)
    .option('--format <format>', 'text or json', 'text')
    .option('--output <file>', 'write the JSON result to a file as well')
    .addHelpText(
      'after',
      '\nExit codes: 0 verified, 1 verification failed, 2 could not verify (bad arguments, unreadable bundle).\n\nExamples:\n  aegis verify ./my-model --signature model.sig --key signing-key-pub.pem\n  aegis verify ./my-model --signature model.sig --ca ca-cert.pem\n',
    )
    .action(async (model: string, options) => {
      const trustAnchors =
        (options.ca as string[]).length > 0 ? await loadCertificates(options.ca) : undefined;
      const result = await verifyModel({
        modelPath: model,
        signaturePath: options.signature,
        ...(options.key ? { publicKey: await loadPublicKey(options.key) } : {}),
        ...(trustAnchors ? { trustAnchors } : {}),
        ...(options.trustedRoot ? { trustedRoot: await loadTrustedRoot(options.trustedRoot) } : {}),
        ...(options.identity ? { identity: options.identity } : {}),
        ...(options.identityProvider ? { identityProvider: options.identityProvider } : {}),
        ignorePaths: options.ignore,
        ignoreUnsignedFiles: options.ignoreUnsignedFiles,
      });
      if (options.output) await writeFile(options.output, `${JSON.stringify(result, null, 2)}\n`);
      if (options.format === 'json') process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        const lines = [
          `${result.ok ? 'verified' : 'FAILED'}: ${result.method} signature, ${result.files} signed file(s)`,
        ];
        if (result.signer) lines.push(`signer: ${result.signer}`);
        for (const problem of result.problems) lines.push(`problem: ${problem}`);
        for (const name of result.changed) lines.push(`changed: ${name}`);
        for (const name of result.added) lines.push(`added:   ${name}`);
        for (const name of result.removed) lines.push(`removed: ${name}`);
        for (const warning of result.warnings) lines.push(`warning: ${warning}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      context.setExitCode(result.ok ? 0 : 1);
    });
}
