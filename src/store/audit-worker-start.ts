import { resolve } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import {
  type AuditWorkerData,
  type AuditWorkerFailure,
  type AuditWorkerReply,
  SLOT,
  SLOT_COUNT,
  WORKER_STATE,
  waitForSlot,
} from './audit-worker-protocol.js';
import type { Database } from './open-database.js';

/** Options of `startAuditWorker`. */
export interface StartAuditWorkerOptions {
  /** The caller's connection: the worker opens the same file, with the same busy timeout. */
  database: Database;
  encryptionKey?: Buffer;
  maxPayloadBytes: number;
  /** The worker commits what it holds at most this many ms after it arrived. */
  flushIntervalMs: number;
  commitAt: number;
  maxQueue: number;
  /** How long to wait for the worker to open its connection. */
  startTimeoutMs: number;
  /** Module the worker runs; default the audit worker. */
  entry?: URL;
}

/** A running audit worker and the means to follow it without messages. */
export interface StartedAuditWorker {
  worker: Worker;
  /** The slots of `SLOT`. */
  shared: BigInt64Array;
  /** Replies to flush/close, read with `receiveMessageOnPort`. */
  replyPort: MessagePort;
  /** Message of the last error the worker raised, or ''. */
  lastError(): string;
}

// Built code starts the compiled worker; from TypeScript sources (vitest, tsx) a small module registers
// tsx inside the worker first, since Node 20 does not pass a parent's loader hooks on to workers.
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./audit-worker-source.mjs', import.meta.url)
    : new URL('./audit-worker.js', import.meta.url);
}

/** An Error rebuilt from a failure that crossed threads. */
export function failureError(failure: AuditWorkerFailure | undefined): Error {
  const error = new Error(failure?.message ?? 'unknown error');
  if (failure?.code !== undefined) (error as Error & { code?: string }).code = failure.code;
  return error;
}

/**
 * Starts the audit worker on the file of `database` and waits (blocking, at most `startTimeoutMs`) until
 * it has opened its connection. Throws `STORE_FAILED` when it cannot open the database and `TIMEOUT`
 * when it does not answer in time (a worker that cannot even load its code ends that way).
 */
export function startAuditWorker(options: StartAuditWorkerOptions): StartedAuditWorker {
  const { database } = options;
  if (database.memory || database.readonly) {
    throw new AegisError(ERROR_CODES.STORE_FAILED, 'the audit worker needs a writable database file');
  }
  const head = database.prepare('SELECT MAX(sequence) FROM audit_records').pluck().get() as number | null;
  const shared = new BigInt64Array(new SharedArrayBuffer(SLOT_COUNT * 8));
  Atomics.store(shared, SLOT.head, BigInt(head ?? 0));
  const channel = new MessageChannel();
  const replyPort = channel.port1;
  replyPort.unref();
  const workerData: AuditWorkerData = {
    path: resolve(database.name),
    busyTimeoutMs: Number(database.pragma('busy_timeout', { simple: true })),
    // A copy with its own memory: a pooled Buffer would clone its whole pool into the worker.
    encryptionKey: options.encryptionKey === undefined ? undefined : new Uint8Array(options.encryptionKey),
    maxPayloadBytes: options.maxPayloadBytes,
    flushIntervalMs: options.flushIntervalMs,
    commitAt: options.commitAt,
    maxQueue: options.maxQueue,
    shared: shared.buffer as SharedArrayBuffer,
    replyPort: channel.port2,
  };
  // execArgv is not inherited: the parent's flags (--cpu-prof, --import tsx, …) are not all valid in a
  // worker, and the worker needs none of them.
  const worker = new Worker(options.entry ?? workerEntry(), {
    workerData,
    transferList: [channel.port2],
    execArgv: [],
  });
  let lastError = '';
  // Always listened to: an 'error' event nobody listens to would end the whole process.
  worker.on('error', (error) => {
    lastError = error instanceof Error ? error.message : String(error);
  });

  const state = waitForSlot({
    shared,
    slot: SLOT.state,
    done: (value) => value !== WORKER_STATE.starting,
    timeoutMs: options.startTimeoutMs,
  });
  if (state !== WORKER_STATE.running) {
    void worker.terminate();
    const reply = receiveMessageOnPort(replyPort)?.message as AuditWorkerReply | undefined;
    replyPort.close();
    if (state === WORKER_STATE.starting) {
      throw new AegisError(
        ERROR_CODES.TIMEOUT,
        `the audit worker did not start within ${options.startTimeoutMs} ms`,
        {
          details: { timeoutMs: options.startTimeoutMs },
        },
      );
    }
    const message =
      state === WORKER_STATE.failed
        ? 'the audit worker could not open the database'
        : 'the audit worker stopped while starting';
    throw new AegisError(ERROR_CODES.STORE_FAILED, message, { cause: failureError(reply?.error) });
  }
  worker.unref();
  return { worker, shared, replyPort, lastError: () => lastError };
}
