import * as nodeCrypto from 'node:crypto';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AegisError, ERROR_CODES, type ErrorCode } from '../spec/errors.js';
import { type CreateKeyInput, parseCreateKeyInput } from './key-input-schema.js';
import { applyMigrations, type Database, type Migration } from './open-database.js';

// `crypto.hash` exists from Node 20.12; read from the namespace so older versions fall back, not fail.
const oneShotHash = (nodeCrypto as Partial<typeof nodeCrypto>).hash;

/** Every API key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'aegis_sk_';
/** Characters of the key kept in clear for display and lookup (`aegis_sk_` + 6). */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
// aegis_sk_ + base64url of 32 random bytes (43 characters).
const KEY_SHAPE = /^aegis_sk_[A-Za-z0-9_-]{43}$/;

/** An API key as stored: never the key itself, only its hash and a display prefix. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** First characters of the key, for display (`aegis_sk_AbC123…`). */
  prefix: string;
  /** Models this key may call; null = all. */
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
  dailyTokens: number | null;
  /** Tool names allowed; null = no restriction. */
  tools: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Why a presented key was refused. */
export type KeyFailureReason = 'missing' | 'invalid' | 'revoked';

/** Result of `verify`: the key record, or a typed failure with its stable error code. */
export type KeyVerification =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; reason: KeyFailureReason; code: ErrorCode };

/** Storage of API keys. SQLite by default; other back-ends implement the same shape. */
export interface KeyStore {
  /** Creates a key. The returned `key` is shown once and never stored. */
  create(input: CreateKeyInput): { key: string; record: ApiKeyRecord };
  /** All keys, newest first (never the key itself). */
  list(): ApiKeyRecord[];
  get(id: string): ApiKeyRecord | undefined;
  /** Revokes a key; throws NOT_FOUND for an unknown id. Idempotent for revoked keys. */
  revoke(id: string): ApiKeyRecord;
  /** Checks a presented key (e.g. from `Authorization: Bearer …`). Never throws for bad keys. */
  verify(presentedKey: string | undefined | null): KeyVerification;
  /** Number of active (not revoked) keys; the gateway refuses public binds when it is 0. */
  countActive(): number;
  /**
   * Number of keys ever created, revoked ones included. Once it is above 0 the gateway requires a key:
   * revoking the last key must not open the gateway to everyone.
   */
  countAll(): number;
}

/** Options of `createKeyStore`. */
export interface KeyStoreOptions {
  database: Database;
  /** Milliseconds since epoch; injectable for tests. */
  clock?: () => number;
  /** Verified keys kept in memory. Default 10 000. */
  cacheSize?: number;
  /** How often (ms) a cached key is re-checked against writes by other processes. Default 1000. */
  recheckMs?: number;
}

const MIGRATIONS: readonly Migration[] = [
  {
    name: 'keys-001-create',
    sql: `CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      prefix TEXT NOT NULL,
      hash BLOB NOT NULL,
      models TEXT,
      rpm INTEGER,
      tpm INTEGER,
      concurrency INTEGER,
      daily_tokens INTEGER,
      tools TEXT,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    );
    CREATE INDEX api_keys_prefix ON api_keys (prefix);`,
  },
];

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: Buffer;
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
  daily_tokens: number | null;
  tools: string | null;
  created_at: string;
  revoked_at: string | null;
}

/**
 * SHA-256, not bcrypt/scrypt: the key is 256 bits of randomness, so brute force over the hash is hopeless
 * anyway, and a slow hash would add milliseconds to every request. Slow hashes are for low-entropy
 * passwords.
 */
function hashKey(key: string): Buffer {
  // One-shot hashing (Node ≥ 20.12) where available: the key is hashed on every request.
  if (typeof oneShotHash === 'function') return oneShotHash('sha256', key, 'buffer');
  return createHash('sha256').update(key, 'utf8').digest();
}

function toRecord(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    rpm: row.rpm,
    tpm: row.tpm,
    concurrency: row.concurrency,
    dailyTokens: row.daily_tokens,
    tools: row.tools === null ? null : (JSON.parse(row.tools) as string[]),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

const FAILURE_CODES: Record<KeyFailureReason, ErrorCode> = {
  missing: ERROR_CODES.AUTH_MISSING,
  invalid: ERROR_CODES.AUTH_INVALID,
  revoked: ERROR_CODES.KEY_REVOKED,
};

function failure(reason: KeyFailureReason): KeyVerification {
  return { ok: false, reason, code: FAILURE_CODES[reason] };
}

/** Creates the SQLite-backed key store. */
export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const { database } = options;
  const clock = options.clock ?? Date.now;
  const cacheSize = options.cacheSize ?? 10_000;
  const recheckMs = options.recheckMs ?? 1000;
  applyMigrations(database, MIGRATIONS);

  const insert = database.prepare(
    `INSERT INTO api_keys (id, name, prefix, hash, models, rpm, tpm, concurrency, daily_tokens, tools, created_at)
     VALUES (@id, @name, @prefix, @hash, @models, @rpm, @tpm, @concurrency, @daily_tokens, @tools, @created_at)`,
  );
  const selectAll = database.prepare('SELECT * FROM api_keys ORDER BY created_at DESC, id');
  const selectById = database.prepare('SELECT * FROM api_keys WHERE id = ?');
  const selectByPrefix = database.prepare('SELECT * FROM api_keys WHERE prefix = ?');
  const revokeRow = database.prepare(
    'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const countActiveRows = database.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL');
  const countAllRows = database.prepare('SELECT COUNT(*) AS n FROM api_keys');

  // Cache of verified keys by the hex SHA-256 of the presented key. A Map lookup on a hash of a
  // 256-bit random secret leaks nothing useful through timing; the record is still compared below.
  const cache = new Map<string, { record: ApiKeyRecord; hash: Buffer }>();
  let dataVersion = database.pragma('data_version', { simple: true }) as number;
  let lastRecheck = clock();

  // Another process (`aegis keys revoke`) may change keys: SQLite bumps data_version on commits by other
  // connections, so a revocation there takes effect here within `recheckMs`.
  function recheckOtherWriters(): void {
    const now = clock();
    if (now - lastRecheck < recheckMs) return;
    lastRecheck = now;
    const version = database.pragma('data_version', { simple: true }) as number;
    if (version !== dataVersion) {
      dataVersion = version;
      cache.clear();
    }
  }

  return {
    create(input) {
      const settings = parseCreateKeyInput(input);
      const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const record: ApiKeyRecord = {
        id: `key_${randomBytes(8).toString('hex')}`,
        name: settings.name,
        prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
        models: settings.models ?? null,
        rpm: settings.rpm ?? null,
        tpm: settings.tpm ?? null,
        concurrency: settings.concurrency ?? null,
        dailyTokens: settings.dailyTokens ?? null,
        tools: settings.tools ?? null,
        createdAt: new Date(clock()).toISOString(),
        revokedAt: null,
      };
      insert.run({
        id: record.id,
        name: record.name,
        prefix: record.prefix,
        hash: hashKey(key),
        models: record.models === null ? null : JSON.stringify(record.models),
        rpm: record.rpm,
        tpm: record.tpm,
        concurrency: record.concurrency,
        daily_tokens: record.dailyTokens,
        tools: record.tools === null ? null : JSON.stringify(record.tools),
        created_at: record.createdAt,
      });
      return { key, record };
    },

    list() {
      return (selectAll.all() as KeyRow[]).map(toRecord);
    },

    get(id) {
      const row = selectById.get(id) as KeyRow | undefined;
      return row === undefined ? undefined : toRecord(row);
    },

    revoke(id) {
      revokeRow.run(new Date(clock()).toISOString(), id);
      const row = selectById.get(id) as KeyRow | undefined;
      if (row === undefined) {
        throw new AegisError(ERROR_CODES.NOT_FOUND, `no API key with id ${id}`, { details: { id } });
      }
      for (const [hash, entry] of cache) if (entry.record.id === id) cache.delete(hash);
      return toRecord(row);
    },

    verify(presentedKey) {
      if (presentedKey === undefined || presentedKey === null || presentedKey.length === 0) {
        return failure('missing');
      }
      // Shape check first: bounded work for garbage, and nothing but well-formed keys reaches SQL.
      if (presentedKey.length > 128 || !KEY_SHAPE.test(presentedKey)) return failure('invalid');
      const presentedHash = hashKey(presentedKey);
      const cacheKey = presentedHash.toString('hex');
      recheckOtherWriters();
      const cached = cache.get(cacheKey);
      if (cached !== undefined && timingSafeEqual(cached.hash, presentedHash)) {
        return { ok: true, record: cached.record };
      }
      let match: KeyRow | undefined;
      for (const row of selectByPrefix.all(presentedKey.slice(0, DISPLAY_PREFIX_LENGTH)) as KeyRow[]) {
        // Constant-time comparison of the full hashes (the prefix only narrows the lookup).
        if (row.hash.length === presentedHash.length && timingSafeEqual(row.hash, presentedHash)) match = row;
      }
      if (match === undefined) return failure('invalid');
      if (match.revoked_at !== null) return failure('revoked');
      const record = toRecord(match);
      if (cache.size >= cacheSize) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(cacheKey, { record, hash: presentedHash });
      return { ok: true, record };
    },

    countActive() {
      return (countActiveRows.get() as { n: number }).n;
    },

    countAll() {
      return (countAllRows.get() as { n: number }).n;
    },
  };
}
