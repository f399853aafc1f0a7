import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyStore } from '../store/key-store.js';
import { openDatabase } from '../store/open-database.js';
import { runCliInProcess, runCliSpawned } from './test-support/run-cli.js';

let dataDir: string;

// Each spawn loads the whole CLI from source, so only the main flow is spawned; edge cases run in process.
const spawned = (...args: string[]) => runCliSpawned(args);
const inProcess = (...args: string[]) => runCliInProcess(args);

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-cli-keys-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aegis keys', () => {
  it('creates a key once and revokes it (spawned)', () => {
    const created = spawned(
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
    const database = openDatabase({ dataDir });
    expect(createKeyStore({ database }).verify(key).ok).toBe(true);
    expect(spawned('keys', 'revoke', record.id, '--data-dir', dataDir).status).toBe(0);
    expect(createKeyStore({ database }).verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
    database.close();
  });

  it('prints the key once in text mode and lists keys without it', async () => {
    const created = await inProcess('keys', 'create', '--name', 'web', '--data-dir', dataDir);
    expect(created.status).toBe(0);
    const key = created.stdout.split('\n')[0] ?? '';
    expect(key).toMatch(/^aegis_sk_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toContain('only time the key is shown');
    const listed = await inProcess('keys', 'list', '--data-dir', dataDir);
    expect(listed.stdout).toContain('web');
    expect(listed.stdout).toContain(`${key.slice(0, 15)}…`);
    expect(listed.stdout).not.toContain(key);
    expect((await inProcess('keys', 'list', '--data-dir', join(dataDir, 'empty'))).stdout).toBe('no keys\n');
  });

  it('fails clearly on bad input', async () => {
    const bad = await inProcess('keys', 'create', '--name', 'x', '--rpm', '-5', '--data-dir', dataDir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/positive whole number.*AEGIS_INVALID_ARGUMENT/);
    const badName = await inProcess('keys', 'create', '--name', 'x\ny', '--data-dir', dataDir);
    expect(badName.stderr).toContain('AEGIS_INVALID_ARGUMENT');
    const unknown = await inProcess('keys', 'revoke', 'key_missing', '--data-dir', dataDir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('AEGIS_NOT_FOUND');
  });
});
