import { receiveMessageOnPort } from 'node:worker_threads';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { PendingAuditRecord } from './audit-batch-writer.js';
import type { AuditSink } from './audit-sink.js';
import { createThreadAuditWriter } from './audit-thread-writer.js';
import {
  type AuditWorkerEvent,
  type AuditWorkerReply,
  type AuditWorkerRequest,
  SLOT,
  WORKER_STATE,
  waitForSlot,
} from './audit-worker-protocol.js';
import { failureError, startAuditWorker } from './audit-worker-start.js';
import type { Database } from './open-database.js';

/** Options of `createWorkerAuditWriter`. */
export interface WorkerAuditWriterOptions {
  database: Database;
  encryptionKey?: Buffer;
  maxPayloadBytes: number;
  flushIntervalMs: number;
  /** At most this many appended records are not yet committed when `push` returns (the kill -9 bound). */
  maxBatch: number;
  maxQueue: number;
  /** How long creation waits for the worker to open its connection. */
  startTimeoutMs: number;
  /** How long `flush`/`close` wait for the worker's answer. */
  replyTimeoutMs: number;
  /** How long `push` waits, at most, for the worker to make room (see the bound above). */
  maxAppendWaitMs: number;
  onError?: (error: unknown) => void;
  onWarning: (message: string) => void;
  /** Module the worker runs; default the audit worker (tests give one that stops it on purpose). */
  entry?: URL;
}

/**
 * Starts a worker thread with its own connection to the database of `database` and returns a sink that
 * hands it the records; commits (and their fsync) happen off the caller's event loop. Throws
 * `STORE_FAILED` or `TIMEOUT` when the worker cannot start. Should the worker stop later, the records it had
 * not committed are written on the caller's thread from then on (`onWarning` says so).
 */
export function createWorkerAuditWriter(options: WorkerAuditWriterOptions): AuditSink {
  const { database, maxBatch } = options;
  const { worker, shared, replyPort, lastError } = startAuditWorker({
    ...options,
    // The last fifth of flushIntervalMs is spent on this side, gathering records into one message.
    flushIntervalMs: Math.max(1, options.flushIntervalMs - Math.floor(options.flushIntervalMs / 5)),
    // Half the bound: the caller waits only once a commit takes longer than half a bound of arrivals.
    commitAt: Math.max(1, Math.floor(maxBatch / 2)),
  });
  let stopping = false;
  worker.on('exit', (code) => {
    if (!stopping) takeOver(lastError() === '' ? `exit code ${code}` : lastError());
  });
  worker.on('message', onEvent);

  let queue: PendingAuditRecord[] = [];
  /** Records pushed so far; those not yet settled by the worker are kept in `inFlight`, in order. */
  let appended = 0;
  const inFlight: { records: PendingAuditRecord[]; end: number }[] = [];
  let postTimer: NodeJS.Timeout | undefined;
  // Records are handed over in groups, not one message per request: each message wakes the worker, and
  // waking a thread costs more CPU than the records it carries. A record waits here at most a fifth of
  // flushIntervalMs (the worker commits within the rest), or until a group of postAt has formed.
  const postDelayMs = Math.max(1, Math.floor(options.flushIntervalMs / 5));
  const postAt = Math.max(1, Math.floor(maxBatch / 8));
  let referenced = false;
  let nextToken = 0;
  let closed = false;
  let droppedAfterClose = 0;
  let stalledAt = -1;
  const waits = { count: 0, milliseconds: 0 };
  let fallback: AuditSink | undefined;
  let before = { written: 0, dropped: 0, failures: 0 };

  const load = (slot: number) => Number(Atomics.load(shared, slot));

  function prune(): void {
    const settled = load(SLOT.settled);
    while (inFlight.length > 0 && (inFlight[0]?.end ?? 0) <= settled) inFlight.shift();
  }

  function post(): void {
    if (postTimer !== undefined) clearTimeout(postTimer);
    postTimer = undefined;
    if (queue.length === 0 || fallback !== undefined) return;
    const records = queue;
    queue = [];
    prune();
    inFlight.push({ records, end: appended });
    worker.postMessage({ type: 'records', records } satisfies AuditWorkerRequest);
    // The worker keeps the process alive while it holds records, as the in-thread writer's timer did.
    if (!referenced) {
      worker.ref();
      referenced = true;
    }
  }

  function onEvent(event: AuditWorkerEvent): void {
    if (event.type === 'error') {
      options.onError?.(
        new AegisError(ERROR_CODES.STORE_FAILED, 'cannot write audit records', {
          cause: failureError(event.error),
        }),
      );
    }
    prune();
    if (referenced && queue.length === 0 && load(SLOT.settled) === appended) {
      worker.unref();
      referenced = false;
    }
  }

  // Backpressure keeps the kill -9 bound: when more than maxBatch records are unacknowledged, wait for the
  // worker's commit. Never while writes fail (records then wait in the worker, up to maxQueue, as they
  // waited in memory before) and at most maxAppendWaitMs per commit, so a stuck disk cannot stop the caller.
  function waitForRoom(): void {
    post();
    const start = performance.now();
    const settled = waitForSlot({
      shared,
      slot: SLOT.settled,
      done: (value) =>
        appended - Number(value) <= maxBatch ||
        Number(value) === stalledAt ||
        Atomics.load(shared, SLOT.failing) === 1n,
      timeoutMs: options.maxAppendWaitMs,
    });
    const waited = performance.now() - start;
    if (waited >= 0.05) {
      waits.count += 1;
      waits.milliseconds += waited;
    }
    if (Atomics.load(shared, SLOT.state) === WORKER_STATE.stopped) takeOver('stopped');
    else if (appended - Number(settled) > maxBatch && Atomics.load(shared, SLOT.failing) === 0n) {
      stalledAt = Number(settled);
    }
  }

  /** Sends a flush or close request and waits for its answer; throws what the worker reports. */
  function request(type: 'flush' | 'close'): void {
    post();
    nextToken += 1;
    const token = nextToken;
    worker.postMessage({ type, token } satisfies AuditWorkerRequest);
    const answered = waitForSlot({
      shared,
      slot: SLOT.reply,
      done: (value) => value >= BigInt(token),
      timeoutMs: options.replyTimeoutMs,
    });
    if (answered < BigInt(token)) {
      if (Atomics.load(shared, SLOT.state) === WORKER_STATE.stopped) {
        takeOver('stopped');
        fallback?.flush();
        return;
      }
      throw new AegisError(
        ERROR_CODES.TIMEOUT,
        `the audit worker did not answer within ${options.replyTimeoutMs} ms`,
        { details: { timeoutMs: options.replyTimeoutMs } },
      );
    }
    let reply: AuditWorkerReply | undefined;
    while (reply?.token !== token) {
      const received = receiveMessageOnPort(replyPort);
      if (received === undefined) break;
      reply = received.message as AuditWorkerReply;
    }
    prune();
    if (reply?.error !== undefined) {
      throw new AegisError(ERROR_CODES.STORE_FAILED, 'cannot write audit records', {
        cause: failureError(reply.error),
      });
    }
  }

  /** The worker stopped unasked: the records it had not committed go to an in-thread writer. */
  function takeOver(reason: string): void {
    if (fallback !== undefined) return;
    stopping = true;
    void worker.terminate();
    const settled = load(SLOT.settled);
    let unsettled: PendingAuditRecord[] = [];
    for (const chunk of inFlight) {
      const start = chunk.end - chunk.records.length;
      unsettled.push(...chunk.records.slice(Math.max(0, settled - start)));
    }
    unsettled.push(...queue);
    inFlight.length = 0;
    queue = [];
    try {
      // A batch committed just before the worker could count it is on disk already: never write it twice.
      const committed = new Set(
        database
          .prepare('SELECT id FROM audit_records WHERE sequence > ?')
          .pluck()
          .all(load(SLOT.head)) as string[],
      );
      unsettled = unsettled.filter((record) => !committed.has(record.id));
    } catch {
      // Without the lookup a record may be written twice; the chain stays linear either way.
    }
    before = {
      written: load(SLOT.written),
      dropped: load(SLOT.dropped) + droppedAfterClose,
      failures: load(SLOT.failures),
    };
    fallback = createThreadAuditWriter({ ...options, initial: unsettled });
    options.onWarning(`the audit worker stopped (${reason}); audit records are now written on this thread`);
  }

  return {
    push(record) {
      if (fallback !== undefined) return fallback.push(record);
      if (closed) {
        droppedAfterClose += 1;
        options.onError?.(
          new AegisError(ERROR_CODES.STORE_FAILED, 'the audit log is closed: record dropped'),
        );
        return;
      }
      queue.push(record);
      appended += 1;
      if (queue.length >= postAt) post();
      else postTimer ??= setTimeout(post, postDelayMs);
      if (appended - load(SLOT.settled) > maxBatch) waitForRoom();
    },

    flush() {
      if (fallback !== undefined) return fallback.flush();
      if (!closed) request('flush');
    },

    close() {
      if (fallback !== undefined) return fallback.close();
      if (closed) return;
      closed = true;
      try {
        request('close');
      } finally {
        stopping = true;
        if (fallback === undefined) {
          if (Atomics.load(shared, SLOT.state) !== WORKER_STATE.stopped) void worker.terminate();
          worker.unref();
          replyPort.close();
        }
      }
    },

    stats() {
      if (fallback !== undefined) {
        const current = fallback.stats();
        return {
          queued: current.queued,
          written: before.written + current.written,
          dropped: before.dropped + current.dropped,
          failures: before.failures + current.failures,
          writer: 'thread',
        };
      }
      return {
        queued: appended - load(SLOT.settled),
        written: load(SLOT.written),
        dropped: load(SLOT.dropped) + droppedAfterClose,
        failures: load(SLOT.failures),
        writer: 'worker',
        appendWaits: waits.count,
        appendWaitMs: Math.round(waits.milliseconds),
      };
    },
  };
}
