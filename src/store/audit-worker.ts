// Entry of the audit worker thread: commits the audit log's batches on its own SQLite connection, so the
// fsync of each commit never blocks the caller's event loop. Started by `createWorkerAuditWriter`.
import { basename, dirname } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  type AuditBatchWriter,
  createAuditBatchWriter,
  type PendingAuditRecord,
} from './audit-batch-writer.js';
import {
  type AuditWorkerData,
  type AuditWorkerEvent,
  type AuditWorkerReply,
  type AuditWorkerRequest,
  describeFailure,
  SLOT,
  WORKER_STATE,
} from './audit-worker-protocol.js';
import { type Database, openDatabase } from './open-database.js';

function runAuditWorker(data: AuditWorkerData): void {
  const port = parentPort;
  if (port === null) return;
  const shared = new BigInt64Array(data.shared);

  function reply(message: AuditWorkerReply): void {
    // Posted before the token is published: the caller reads it with receiveMessageOnPort once woken.
    data.replyPort.postMessage(message);
    Atomics.store(shared, SLOT.reply, BigInt(message.token));
    Atomics.notify(shared, SLOT.reply);
  }

  function emit(event: AuditWorkerEvent): void {
    port?.postMessage(event);
  }

  function stop(): void {
    Atomics.store(shared, SLOT.state, WORKER_STATE.stopped);
    for (const slot of [SLOT.state, SLOT.settled, SLOT.reply]) Atomics.notify(shared, slot);
  }

  // However the thread ends (closed, or an error nobody caught), a caller waiting on a slot wakes up.
  process.on('exit', stop);

  let database: Database;
  let writer: AuditBatchWriter;
  try {
    database = openDatabase({
      dataDir: dirname(data.path),
      fileName: basename(data.path),
      busyTimeoutMs: data.busyTimeoutMs,
      mustExist: true,
    });
    writer = createAuditBatchWriter({
      database,
      encryptionKey: data.encryptionKey === undefined ? undefined : Buffer.from(data.encryptionKey),
      maxPayloadBytes: data.maxPayloadBytes,
    });
  } catch (error) {
    data.replyPort.postMessage({ token: 0, error: describeFailure(error) } satisfies AuditWorkerReply);
    Atomics.store(shared, SLOT.state, WORKER_STATE.failed);
    Atomics.notify(shared, SLOT.state);
    port.close();
    return;
  }

  let pending: PendingAuditRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let commitScheduled = false;
  let failing = false;

  function settle(count: number): void {
    Atomics.add(shared, SLOT.settled, BigInt(count));
    Atomics.notify(shared, SLOT.settled);
  }

  /** Writes every pending record in one transaction; returns the failure, if any (records are kept). */
  function writePending(): unknown {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return undefined;
    const batch = pending;
    pending = [];
    try {
      const head = writer.write(batch);
      Atomics.store(shared, SLOT.head, BigInt(head));
      Atomics.add(shared, SLOT.written, BigInt(batch.length));
      if (failing) {
        failing = false;
        Atomics.store(shared, SLOT.failing, 0n);
      }
      settle(batch.length);
      emit({ type: 'committed' });
      return undefined;
    } catch (error) {
      Atomics.add(shared, SLOT.failures, 1n);
      failing = true;
      Atomics.store(shared, SLOT.failing, 1n);
      pending = batch;
      // While the database fails, at most maxQueue records wait; the oldest are dropped and counted.
      const excess = pending.length - data.maxQueue;
      if (excess > 0) {
        pending = pending.slice(excess);
        Atomics.add(shared, SLOT.dropped, BigInt(excess));
        settle(excess);
      } else {
        // Wakes a caller waiting for room: it does not wait while writes fail.
        Atomics.notify(shared, SLOT.settled);
      }
      emit({ type: 'error', error: describeFailure(error) });
      timer = setTimeout(writePending, data.flushIntervalMs);
      return error;
    }
  }

  function commitSoon(): void {
    commitScheduled = false;
    if (!failing) writePending();
  }

  port.on('message', (request: AuditWorkerRequest) => {
    switch (request.type) {
      case 'records': {
        for (const record of request.records) pending.push(record);
        // The commit runs after the messages already queued are read, so they share its fsync.
        if (pending.length >= data.commitAt && !failing) {
          if (!commitScheduled) {
            commitScheduled = true;
            setImmediate(commitSoon);
          }
        } else if (timer === undefined) {
          timer = setTimeout(writePending, data.flushIntervalMs);
        }
        return;
      }
      case 'flush': {
        const error = writePending();
        reply(
          error === undefined
            ? { token: request.token }
            : { token: request.token, error: describeFailure(error) },
        );
        return;
      }
      case 'close': {
        const error = writePending();
        if (pending.length > 0) {
          // Could not be written before the log closed: counted as dropped.
          Atomics.add(shared, SLOT.dropped, BigInt(pending.length));
          settle(pending.length);
          pending = [];
        }
        if (timer !== undefined) clearTimeout(timer);
        database.close();
        reply(
          error === undefined
            ? { token: request.token }
            : { token: request.token, error: describeFailure(error) },
        );
        stop();
        port.close();
        return;
      }
    }
  });

  Atomics.store(shared, SLOT.state, WORKER_STATE.running);
  Atomics.notify(shared, SLOT.state);
}

if (!isMainThread) runAuditWorker(workerData as AuditWorkerData);
