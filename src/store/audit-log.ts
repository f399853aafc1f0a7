import { randomUUID } from 'node:crypto';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import {
  type ChainAnchor,
  type ChainVerification,
  canonicalJson,
  chainHash,
  GENESIS_HASH,
} from './audit-chain.js';
import { loadAuditKey, sealPayload } from './audit-cipher.js';
import { type AuditReader, createAuditReader } from './audit-reader.js';
import { type AuditEntry, type AuditRecord, toRecordBody } from './audit-record.js';
import type { Database } from './open-database.js';

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
  /** The queue is written as soon as it holds this many records. Default 100. */
  maxBatch?: number;
  /** While the database fails, at most this many records wait; older ones are dropped and counted. */
  maxQueue?: number;
  /** Payloads larger than this (bytes of JSON) are replaced by a note. Default 256 KiB. */
  maxPayloadBytes?: number;
  clock?: () => number;
  /** Called when a background write fails (records are kept and retried). */
  onError?: (error: unknown) => void;
}

/** Counters for health checks and metrics. */
export interface AuditLogStats {
  queued: number;
  written: number;
  dropped: number;
  failures: number;
}

/** The tamper-evident request log. */
export interface AuditLog extends AuditReader {
  /** Queues one record (never blocks on disk, never throws for storage failures); returns its id. */
  append(entry: AuditEntry): { id: string };
  /** Writes every queued record now, in one transaction. */
  flush(): void;
  /** Flushes and stops the timer (call on SIGTERM). */
  close(): void;
  /** Flushes, then checks the whole chain (see `AuditReader.verify`). */
  verify(options?: { anchor?: ChainAnchor }): ChainVerification;
  stats(): AuditLogStats;
}

interface QueuedRecord {
  body: Omit<AuditRecord, 'sequence' | 'payload'>;
  payload: unknown;
}

/** Creates the SQLite-backed, hash-chained, batched audit log. */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const { database } = options;
  const mode = options.payloads ?? 'redacted';
  const encryptionKey = mode === 'full' ? (options.encryptionKey ?? loadAuditKey()) : undefined;
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const maxBatch = options.maxBatch ?? 100;
  const maxQueue = Math.max(options.maxQueue ?? 10_000, maxBatch);
  const maxPayloadBytes = options.maxPayloadBytes ?? 256 * 1024;
  const clock = options.clock ?? Date.now;
  const reader = createAuditReader({ database });

  const selectHead = database.prepare(
    'SELECT sequence, hash FROM audit_records ORDER BY sequence DESC LIMIT 1',
  );
  const insert = database.prepare(
    'INSERT INTO audit_records (sequence, id, time, key_id, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  let queue: QueuedRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  const counters = { written: 0, dropped: 0, failures: 0 };

  function payloadFor(entry: AuditEntry): unknown {
    if (mode === 'none' || entry.payload === undefined) return undefined;
    const value = mode === 'full' ? entry.payload.full : entry.payload.redacted;
    return value;
  }

  function sealed(payload: unknown, id: string): AuditRecord['payload'] {
    if (payload === undefined) return undefined;
    const json = JSON.stringify(payload);
    if (json === undefined) return undefined;
    if (Buffer.byteLength(json, 'utf8') > maxPayloadBytes) {
      return { omitted: `payload larger than ${maxPayloadBytes} bytes` };
    }
    if (encryptionKey !== undefined)
      return { encrypted: sealPayload({ key: encryptionKey, value: payload, recordId: id }) };
    return { redacted: JSON.parse(json) as unknown };
  }

  // Sequence numbers and links are assigned inside the write transaction, so several processes can
  // share one log and the chain stays linear (BEGIN IMMEDIATE serialises the writers).
  const writeBatch = database.transaction((batch: readonly QueuedRecord[]) => {
    const head = selectHead.get() as { sequence: number; hash: string } | undefined;
    let sequence = head?.sequence ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    for (const queued of batch) {
      sequence += 1;
      const record: AuditRecord = {
        ...queued.body,
        sequence,
        payload: sealed(queued.payload, queued.body.id),
      };
      const canonical = canonicalJson(record);
      const hash = chainHash(prevHash, canonical);
      insert.run(sequence, record.id, record.time, record.keyId, canonical, prevHash, hash);
      prevHash = hash;
    }
  });

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      writeBatch.immediate(batch);
      counters.written += batch.length;
    } catch (cause) {
      counters.failures += 1;
      queue = batch.concat(queue);
      if (queue.length > maxQueue) {
        counters.dropped += queue.length - maxQueue;
        queue = queue.slice(queue.length - maxQueue);
      }
      throw new AegisError(ERROR_CODES.STORE_FAILED, 'cannot write audit records', { cause });
    }
  }

  function backgroundFlush(): void {
    try {
      flush();
    } catch (error) {
      options.onError?.(error);
      if (timer === undefined && queue.length > 0) timer = setTimeout(backgroundFlush, flushIntervalMs);
    }
  }

  return {
    append(entry) {
      const id = randomUUID();
      queue.push({ body: toRecordBody(entry, { id, now: clock() }), payload: payloadFor(entry) });
      // Bound of what a kill -9 can lose: the queue never holds more than maxBatch records for longer
      // than one append, and no record waits longer than flushIntervalMs.
      if (queue.length >= maxBatch) backgroundFlush();
      else if (timer === undefined) timer = setTimeout(backgroundFlush, flushIntervalMs);
      return { id };
    },

    flush,

    close() {
      flush();
    },

    verify(verifyOptions) {
      if (queue.length > 0) flush();
      return reader.verify(verifyOptions);
    },

    tail: (count) => reader.tail(count),

    exportJsonl: (output, exportOptions) => reader.exportJsonl(output, exportOptions),

    stats() {
      return { queued: queue.length, ...counters };
    },
  };
}
