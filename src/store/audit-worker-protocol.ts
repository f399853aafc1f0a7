// The contract between the audit log (caller's thread) and its worker. Counters live in a
// SharedArrayBuffer so the caller can read them, and wait on them with Atomics.wait, while it is blocked
// (messages are not delivered to a blocked thread). Replies to flush/close travel on their own port and are
// read synchronously with `receiveMessageOnPort`.
import type { MessagePort } from 'node:worker_threads';
import type { PendingAuditRecord } from './audit-batch-writer.js';

/** Slots of the shared BigInt64Array. */
export const SLOT = {
  /** One of `WORKER_STATE`. */
  state: 0,
  /** Records committed or dropped (a prefix of the records sent, in order). */
  settled: 1,
  written: 2,
  dropped: 3,
  failures: 4,
  /** 1 while the last write attempt failed. */
  failing: 5,
  /** Token of the last flush/close request answered. */
  reply: 6,
  /** Sequence number of the last record the worker committed. */
  head: 7,
} as const;

/** Number of slots. */
export const SLOT_COUNT = 8;

/** Values of the state slot. */
export const WORKER_STATE = { starting: 0n, running: 1n, failed: 2n, stopped: 3n } as const;

/** What the worker is started with. */
export interface AuditWorkerData {
  /** Absolute path of the SQLite file (the worker opens its own connection). */
  path: string;
  busyTimeoutMs: number;
  encryptionKey?: Uint8Array;
  maxPayloadBytes: number;
  flushIntervalMs: number;
  /** A commit starts once this many records wait (or after flushIntervalMs). */
  commitAt: number;
  maxQueue: number;
  shared: SharedArrayBuffer;
  replyPort: MessagePort;
}

/** Messages to the worker, in order on one port. */
export type AuditWorkerRequest =
  | { type: 'records'; records: PendingAuditRecord[] }
  | { type: 'flush'; token: number }
  | { type: 'close'; token: number };

/** A failure as it crosses threads (an Error's message and its code, no stack). */
export interface AuditWorkerFailure {
  message: string;
  code?: string;
}

/** Reply on the reply port (token 0: start-up). */
export interface AuditWorkerReply {
  token: number;
  error?: AuditWorkerFailure;
}

/** Events from the worker, delivered asynchronously. */
export type AuditWorkerEvent = { type: 'error'; error: AuditWorkerFailure } | { type: 'committed' };

/** The message and code of a thrown value. */
export function describeFailure(error: unknown): AuditWorkerFailure {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { message: error.message, code } : { message: error.message };
  }
  return { message: String(error) };
}

/**
 * Blocks this thread (Atomics.wait) until `done(value of slot)`, the worker stops, or the timeout passes;
 * returns the last value read. Messages are not delivered meanwhile: progress is read from the slots.
 */
export function waitForSlot(options: {
  shared: BigInt64Array;
  slot: number;
  done: (value: bigint) => boolean;
  timeoutMs: number;
}): bigint {
  const { shared, slot, done } = options;
  const deadline = performance.now() + options.timeoutMs;
  let value = Atomics.load(shared, slot);
  while (!done(value) && Atomics.load(shared, SLOT.state) !== WORKER_STATE.stopped) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    Atomics.wait(shared, slot, value, remaining);
    value = Atomics.load(shared, slot);
  }
  return value;
}
