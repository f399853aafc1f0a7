import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAegisError } from '../spec/errors.js';
import { createKeyStore } from './key-store.js';
import { type Database, openDatabase } from './open-database.js';
import { presentedKeyFrom } from './presented-key.js';

let dataDir: string;
let database: Database;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-keys-'));
  database = openDatabase({ dataDir });
});
afterEach(() => {
  database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('key store', () => {
  it('creates a key that verifies, and lists it without the key', () => {
    const store = createKeyStore({ database });
    const { key, record } = store.create({ name: 'ci', models: ['gpt-4o-mini'], rpm: 60, tools: ['search'] });
    expect(key).toMatch(/^aegis_sk_[A-Za-z0-9_-]{43}$/);
    expect(record.prefix).toBe(key.slice(0, 15));
    const verification = store.verify(key);
    expect(verification).toEqual({ ok: true, record });
    const listed = store.list();
    expect(listed).toEqual([record]);
    expect(JSON.stringify(listed)).not.toContain(key.slice(15));
    expect(store.countActive()).toBe(1);
  });

  it('stores only a SHA-256 hash: the key is nowhere in the database file', () => {
    const store = createKeyStore({ database });
    const { key } = store.create({ name: 'secret-check' });
    database.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(join(dataDir, 'aegis.db'));
    expect(bytes.includes(Buffer.from(key.slice(15)))).toBe(false);
    const row = database.prepare('SELECT hash FROM api_keys').get() as { hash: Buffer };
    expect(row.hash.length).toBe(32);
  });

  it('refuses missing, malformed, unknown and revoked keys with typed failures', () => {
    const store = createKeyStore({ database });
    const { key, record } = store.create({ name: 'a' });
    expect(store.verify(undefined)).toMatchObject({
      ok: false,
      reason: 'missing',
      code: 'AEGIS_AUTH_MISSING',
    });
    expect(store.verify('')).toMatchObject({ ok: false, reason: 'missing' });
    expect(store.verify('sk-not-ours')).toMatchObject({
      ok: false,
      reason: 'invalid',
      code: 'AEGIS_AUTH_INVALID',
    });
    expect(store.verify('x'.repeat(100_000))).toMatchObject({ ok: false, reason: 'invalid' });
    // Same display prefix, different remainder: found by prefix, refused by the constant-time hash check.
    const lastChar = key.endsWith('A') ? 'B' : 'A';
    expect(store.verify(`${key.slice(0, -1)}${lastChar}`)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(store.verify(key).ok).toBe(true); // now cached
    const revoked = store.revoke(record.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(store.verify(key)).toMatchObject({ ok: false, reason: 'revoked', code: 'AEGIS_KEY_REVOKED' });
    expect(store.countActive()).toBe(0);
    // The gateway keeps requiring keys once any existed.
    expect(store.countAll()).toBe(1);
  });

  it('throws NOT_FOUND when revoking an unknown id and rejects bad settings', () => {
    const store = createKeyStore({ database });
    expect(() => store.revoke('key_nope')).toThrowError(expect.objectContaining({ code: 'AEGIS_NOT_FOUND' }));
    try {
      store.create({ name: 'x', rpm: -1 });
      expect.unreachable();
    } catch (error) {
      expect(isAegisError(error, 'AEGIS_INVALID_ARGUMENT')).toBe(true);
    }
    expect(() => store.create({ name: 'x', extra: 1 } as never)).toThrowError(/invalid key settings/);
  });

  it('sees a revocation made by another process within the recheck interval', () => {
    let now = 1_000_000;
    const store = createKeyStore({ database, clock: () => now, recheckMs: 1000 });
    const { key, record } = store.create({ name: 'shared' });
    expect(store.verify(key).ok).toBe(true);
    const other = openDatabase({ dataDir });
    createKeyStore({ database: other }).revoke(record.id);
    other.close();
    now += 1001;
    expect(store.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
  });
});

describe('presentedKeyFrom', () => {
  it('reads Bearer and x-api-key headers', () => {
    expect(presentedKeyFrom({ authorization: 'Bearer aegis_sk_abc' })).toBe('aegis_sk_abc');
    expect(presentedKeyFrom({ authorization: 'bearer   tok ' })).toBe('tok');
    expect(presentedKeyFrom({ authorization: 'Basic Zm9v' })).toBe('');
    expect(presentedKeyFrom({ 'x-api-key': ' k ' })).toBe('k');
    expect(presentedKeyFrom({})).toBeUndefined();
    expect(presentedKeyFrom({ authorization: 'Basic Zm9v', 'x-api-key': 'k2' })).toBe('k2');
  });
});
