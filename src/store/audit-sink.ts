import type { PendingAuditRecord } from './audit-batch-writer.js';

/** Counters for health checks and metrics. */
export interface AuditLogStats {
  /** Records appended and not yet written (nor dropped). */
  queued: number;
  written: number;
  dropped: number;
  /** Failed write attempts (each is retried). */
  failures: number;
  /** Where batches are committed: a worker thread, or the caller's thread. */
  writer: 'worker' | 'thread';
  /** Worker writer: how often `append` waited for a commit to keep the kill -9 bound, and for how long in all. */
  appendWaits?: number;
  appendWaitMs?: number;
}

/** The write side behind `AuditLog`: queues records and commits them in batches. */
export interface AuditSink {
  /** Queues one record; never throws for storage failures. */
  push(record: PendingAuditRecord): void;
  /** Writes every queued record now; throws `STORE_FAILED` when it cannot. */
  flush(): void;
  /** Flushes and stops writing. */
  close(): void;
  stats(): AuditLogStats;
}
