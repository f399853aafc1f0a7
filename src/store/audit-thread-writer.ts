import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { createAuditBatchWriter, type PendingAuditRecord } from './audit-batch-writer.js';
import type { AuditSink } from './audit-sink.js';
import type { Database } from './open-database.js';

/** Options of `createThreadAuditWriter`. */
export interface ThreadAuditWriterOptions {
  database: Database;
  encryptionKey?: Buffer;
  maxPayloadBytes: number;
  flushIntervalMs: number;
  maxBatch: number;
  maxQueue: number;
  /** Records to write first (taken over from a writer that stopped). */
  initial?: readonly PendingAuditRecord[];
  onError?: (error: unknown) => void;
}

/**
 * The in-thread writer: batches are committed on the caller's thread (each commit waits for its fsync).
 * For tests and single-shot commands; the gateway uses the worker writer.
 */
export function createThreadAuditWriter(options: ThreadAuditWriterOptions): AuditSink {
  const { flushIntervalMs, maxBatch, maxQueue } = options;
  const writer = createAuditBatchWriter(options);
  let queue: PendingAuditRecord[] = options.initial === undefined ? [] : [...options.initial];
  let timer: NodeJS.Timeout | undefined;
  const counters = { written: 0, dropped: 0, failures: 0 };

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      writer.write(batch);
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

  if (queue.length > 0) timer = setTimeout(backgroundFlush, 0);

  return {
    push(record) {
      queue.push(record);
      // Bound of what a kill -9 can lose: the queue never holds more than maxBatch records for longer
      // than one append, and no record waits longer than flushIntervalMs.
      if (queue.length >= maxBatch) backgroundFlush();
      else if (timer === undefined) timer = setTimeout(backgroundFlush, flushIntervalMs);
    },
    flush,
    close: flush,
    stats: () => ({ queued: queue.length, ...counters, writer: 'thread' }),
  };
}
