import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyStore } from '../store/key-store.js';
import { openDatabase } from '../store/open-database.js';

const entry = fileURLToPath(new URL('./run.ts', import.meta.url));
let dataDir: string;

function aegis(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-cli-keys-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aegis keys', () => {
  it('creates a key once, lists it without the key, revokes it', () => {
    const created = aegis(
      'keys',
      'create',
      '--name',
      'ci',
      '--models',
      'gpt-4o-mini,gpt-4o',
      '--rpm',
      '60',
      '--tpm',
      '10000',
      '--concurrency',
      '4',
      '--daily-tokens',
      '200000',
      '--tools',
      'search,calc',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(created.status).toBe(0);
    const { key, record } = JSON.parse(created.stdout);
    expect(key).toMatch(/^aegis_sk_/);
    expect(record).toMatchObject({
      name: 'ci',
      models: ['gpt-4o-mini', 'gpt-4o'],
      rpm: 60,
      tpm: 10000,
      concurrency: 4,
      dailyTokens: 200000,
      tools: ['search', 'calc'],
    });

    const listed = aegis('keys', 'list', '--data-dir', dataDir);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(record.id);
    expect(listed.stdout).not.toContain(key);

    const database = openDatabase({ dataDir });
    expect(createKeyStore({ database }).verify(key).ok).toBe(true);
    expect(aegis('keys', 'revoke', record.id, '--data-dir', dataDir).status).toBe(0);
    expect(createKeyStore({ database }).verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
    database.close();
  });

  it('fails clearly on bad input', () => {
    const bad = aegis('keys', 'create', '--name', 'x', '--rpm', '-5', '--data-dir', dataDir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/positive whole number.*AEGIS_INVALID_ARGUMENT/);
    const unknown = aegis('keys', 'revoke', 'key_missing', '--data-dir', dataDir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('AEGIS_NOT_FOUND');
  });
});
