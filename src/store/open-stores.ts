import { type AuditLog, type AuditPayloadMode, createAuditLog } from './audit-log.js';
import { createKeyStore, type KeyStore } from './key-store.js';
import { createLimiter, type Limiter } from './limiter.js';
import { type Database, openDatabase } from './open-database.js';
import { createTokenBudgetStore } from './token-budget-store.js';

/** Everything the gateway persists, on one SQLite database. */
export interface Stores {
  database: Database;
  keyStore: KeyStore;
  limiter: Limiter;
  auditLog: AuditLog;
  /** Flushes the limiter and the audit log, then closes the database (call on SIGTERM). Idempotent. */
  close(): void;
}

/** Options of `openStores`. */
export interface OpenStoresOptions {
  /** Data folder; default `.aegis`. */
  dataDir?: string;
  /** Audit payload mode; `full` needs AEGIS_AUDIT_KEY or AEGIS_AUDIT_KEY_FILE (or `auditKey`). */
  auditPayloads?: AuditPayloadMode;
  auditKey?: Buffer;
  clock?: () => number;
  /** Background write failures (audit batches, budget usage). */
  onError?: (error: unknown) => void;
  /** Where audit batches are committed (see `AuditLogOptions.writer`). Default `worker`. */
  auditWriter?: 'worker' | 'thread';
  /** The audit worker could not start or stopped; records are written on this thread (default: a process warning). */
  onWarning?: (message: string) => void;
}

/** Opens the database and creates the key store, limiter (daily budget persisted) and audit log on it. */
export function openStores(options: OpenStoresOptions = {}): Stores {
  const database = openDatabase({ dataDir: options.dataDir });
  try {
    const keyStore = createKeyStore({ database, clock: options.clock });
    const limiter = createLimiter({
      budgetStore: createTokenBudgetStore({ database }),
      clock: options.clock,
      onError: options.onError,
    });
    const auditLog = createAuditLog({
      database,
      payloads: options.auditPayloads,
      encryptionKey: options.auditKey,
      clock: options.clock,
      onError: options.onError,
      writer: options.auditWriter ?? 'worker',
      onWarning: options.onWarning,
    });
    let closed = false;
    return {
      database,
      keyStore,
      limiter,
      auditLog,
      close() {
        if (closed) return;
        closed = true;
        try {
          limiter.close();
          auditLog.close();
        } finally {
          database.close();
        }
      },
    };
  } catch (error) {
    database.close();
    throw error;
  }
}
