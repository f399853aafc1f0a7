import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** A SQLite connection (better-sqlite3). Stores take one of these so tests and tools can share it. */
export type Database = BetterSqlite3.Database;

/** One schema step. Names are applied once, in order, and recorded in `schema_migrations`. */
export interface Migration {
  /** Stable, unique name, e.g. `keys-001-create`. Never rename an applied migration. */
  name: string;
  sql: string;
}

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** Folder holding the database (created with mode 0700). Default `.aegis` in the working directory. */
  dataDir?: string;
  /** File name inside `dataDir`. Default `aegis.db`. */
  fileName?: string;
  /** How long a writer waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Open without creating anything (for read-only tools such as `audit verify`). */
  readonly?: boolean;
  /** Fail with NOT_FOUND instead of creating a new database (for tools that inspect existing data). */
  mustExist?: boolean;
}

/** The default data folder, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.aegis';

// The native driver is loaded on first use so that importing Aegis as a library never loads it.
const requireModule = createRequire(import.meta.url);
let driver: typeof BetterSqlite3 | undefined;

function loadDriver(): typeof BetterSqlite3 {
  if (driver === undefined) {
    try {
      driver = requireModule('better-sqlite3') as typeof BetterSqlite3;
    } catch (cause) {
      throw new AegisError(
        ERROR_CODES.STORE_FAILED,
        'the SQLite driver (better-sqlite3) could not be loaded',
        {
          cause,
        },
      );
    }
  }
  return driver;
}

/**
 * Opens (and creates) the Aegis database: WAL journal so readers never block the writer, a busy
 * timeout so several processes (gateway and `aegis keys`) can share the file, and a migrations table.
 */
export function openDatabase(options: OpenDatabaseOptions = {}): Database {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const path = join(dataDir, options.fileName ?? 'aegis.db');
  const Driver = loadDriver();
  try {
    if (options.readonly) {
      if (!existsSync(path)) {
        throw new AegisError(ERROR_CODES.NOT_FOUND, `no Aegis database at ${path}`, { details: { path } });
      }
      const database = new Driver(path, { readonly: true, fileMustExist: true });
      database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      return database;
    }
    const isNew = !existsSync(path);
    if (isNew && options.mustExist) {
      throw new AegisError(ERROR_CODES.NOT_FOUND, `no Aegis database at ${path} (check --data-dir)`, {
        details: { path },
      });
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const database = new Driver(path);
    if (isNew) chmodSync(path, 0o600);
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    database.pragma('journal_mode = WAL');
    // FULL: a committed audit batch survives power loss too; commits are batched, so the fsync is rare.
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    return database;
  } catch (cause) {
    if (cause instanceof AegisError) throw cause;
    throw new AegisError(ERROR_CODES.STORE_FAILED, `cannot open the database at ${path}`, {
      cause,
      details: { path },
    });
  }
}

/** Applies the migrations not yet recorded, each in its own transaction. Idempotent. */
export function applyMigrations(database: Database, migrations: readonly Migration[]): void {
  if (database.readonly) return;
  const applied = database.prepare('SELECT 1 FROM schema_migrations WHERE name = ?');
  const record = database.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.get(migration.name) !== undefined) continue;
    database
      .transaction(() => {
        // Another process may have applied it between our check and the write lock.
        if (applied.get(migration.name) !== undefined) return;
        database.exec(migration.sql);
        record.run(migration.name, new Date().toISOString());
      })
      .immediate();
  }
}
