import { randomUUID } from 'node:crypto';
import { toPendingRecord } from './audit-batch-writer.js';
import type { ChainAnchor, ChainVerification } from './audit-chain.js';
import { loadAuditKey } from './audit-cipher.js';
import { type AuditReader, createAuditReader } from './audit-reader.js';
import { type AuditEntry, toRecordBody } from './audit-record.js';
import type { AuditLogStats, AuditSink } from './audit-sink.js';
import { createThreadAuditWriter } from './audit-thread-writer.js';
import { createWorkerAuditWriter } from './audit-worker-writer.js';
import type { Database } from './open-database.js';

export type { AuditLogStats } from './audit-sink.js';

/** How payloads are kept: not at all, as the caller's redacted view (default), or in full, encrypted. */
export type AuditPayloadMode = 'none' | 'redacted' | 'full';

/** Options of `createAuditLog`. */
export interface AuditLogOptions {
  database: Database;
  payloads?: AuditPayloadMode;
  /** AES-256 key for `full` mode; default: loaded from AEGIS_AUDIT_KEY / AEGIS_AUDIT_KEY_FILE. */
  encryptionKey?: Buffer;
  /** A queued record is written within this many ms. Default 50. */
  flushIntervalMs?: number;
  /**
   * Default 100. `thread` writer: the queue is written as soon as it holds this many records. `worker`
   * writer: at most this many appended records are uncommitted when `append` returns (a commit starts at a
   * half of it); more, and `append` waits for the worker's commit (at most `maxAppendWaitMs`).
   */
  maxBatch?: number;
  /** While the database fails, at most this many records wait; older ones are dropped and counted. */
  maxQueue?: number;
  /** Payloads larger than this (bytes of JSON) are replaced by a note. Default 256 KiB. */
  maxPayloadBytes?: number;
  clock?: () => number;
  /** Called when a background write fails (records are kept and retried). */
  onError?: (error: unknown) => void;
  /**
   * Where batches are committed. `worker` (default): a worker thread with its own connection, so the
   * fsync of a commit never blocks this thread's event loop. `thread`: on this thread, inside `append`
   * and a timer (tests, single-shot commands).
   */
  writer?: 'worker' | 'thread';
  /** `worker` writer: how long creation waits for the worker to start. Default 10 000 ms. */
  workerStartTimeoutMs?: number;
  /** `worker` writer: how long `flush`, `close` and `verify` wait for the worker. Default 30 000 ms. */
  workerReplyTimeoutMs?: number;
  /** `worker` writer: the longest `append` waits for room (see the kill -9 bound). Default 1000 ms. */
  maxAppendWaitMs?: number;
  /**
   * Called when the worker cannot start or stops, and the records are written on this thread instead.
   * Default: `process.emitWarning`.
   */
  onWarning?: (message: string) => void;
}

/** The tamper-evident request log. */
export interface AuditLog extends AuditReader {
  /**
   * Queues one record (never blocks on disk, never throws for storage failures); returns its id. Bound of
   * what a kill -9 can lose while storage works: `maxBatch` records (see docs/gateway.md, "Audit log").
   */
  append(entry: AuditEntry): { id: string };
  /** Writes every queued record now, in one transaction; throws `STORE_FAILED` (or `TIMEOUT`) if it cannot. */
  flush(): void;
  /** Flushes and stops the writer (call on SIGTERM). With the worker writer, later records are dropped and counted. */
  close(): void;
  /** Flushes, then checks the whole chain (see `AuditReader.verify`). */
  verify(options?: { anchor?: ChainAnchor }): ChainVerification;
  stats(): AuditLogStats;
}

/** Creates the SQLite-backed, hash-chained, batched audit log. */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const { database } = options;
  const mode = options.payloads ?? 'redacted';
  const encryptionKey = mode === 'full' ? (options.encryptionKey ?? loadAuditKey()) : undefined;
  const clock = options.clock ?? Date.now;
  const reader = createAuditReader({ database });
  const sink = createSink(options, encryptionKey);

  function payloadJson(entry: AuditEntry): string | undefined {
    if (mode === 'none' || entry.payload === undefined) return undefined;
    const value = mode === 'full' ? entry.payload.full : entry.payload.redacted;
    // Serialised here, once: the text is what is sealed or stored, whichever thread writes it.
    return value === undefined ? undefined : JSON.stringify(value);
  }

  return {
    append(entry) {
      const id = randomUUID();
      sink.push(toPendingRecord(toRecordBody(entry, { id, now: clock() }), payloadJson(entry)));
      return { id };
    },

    flush: () => sink.flush(),

    close: () => sink.close(),

    verify(verifyOptions) {
      sink.flush();
      return reader.verify(verifyOptions);
    },

    tail: (count) => reader.tail(count),

    exportJsonl: (output, exportOptions) => reader.exportJsonl(output, exportOptions),

    stats: () => sink.stats(),
  };
}

function createSink(options: AuditLogOptions, encryptionKey: Buffer | undefined): AuditSink {
  const maxBatch = options.maxBatch ?? 100;
  const common = {
    database: options.database,
    encryptionKey,
    maxPayloadBytes: options.maxPayloadBytes ?? 256 * 1024,
    flushIntervalMs: options.flushIntervalMs ?? 50,
    maxBatch,
    maxQueue: Math.max(options.maxQueue ?? 10_000, maxBatch),
    onError: options.onError,
  };
  if (options.writer === 'thread') return createThreadAuditWriter(common);
  const onWarning = options.onWarning ?? ((message: string) => process.emitWarning(message, 'AegisWarning'));
  try {
    return createWorkerAuditWriter({
      ...common,
      startTimeoutMs: options.workerStartTimeoutMs ?? 10_000,
      replyTimeoutMs: options.workerReplyTimeoutMs ?? 30_000,
      maxAppendWaitMs: options.maxAppendWaitMs ?? 1000,
      onWarning,
    });
  } catch (error) {
    // Fail closed: never run without the audit log. The in-thread writer keeps every guarantee; only the
    // fsync of each commit is back on this thread.
    const reason = error instanceof Error ? error.message : String(error);
    onWarning(`the audit worker could not start (${reason}); audit records are written on this thread`);
    return createThreadAuditWriter(common);
  }
}
