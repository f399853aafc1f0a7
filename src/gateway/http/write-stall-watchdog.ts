import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Options of `createWriteStallWatchdog`. */
export interface WriteStallWatchdogOptions {
  /** How long bytes may wait in a caller's socket without any of them leaving (0 disables the watchdog). */
  timeoutMs: number;
  /** Injected for tests; defaults to `Date.now`. */
  now?: () => number;
}

/** Notices callers that stopped reading their answers. */
export interface WriteStallWatchdog {
  /**
   * Watches a response until it closes: `onStall` runs once when bytes written to the caller's socket
   * made no progress for the timeout.
   */
  watch(response: ServerResponse, onStall: () => void): void;
  /** Stops watching everything. */
  close(): void;
}

interface Watched {
  response: ServerResponse;
  onStall: () => void;
  /** Bytes whose writes completed (handed to the kernel), at the last sweep. */
  delivered: number;
  /** Bytes libuv still holds of the write in progress, at the last sweep. */
  queued: number;
  /** When the bytes waiting were last seen to move (or were first seen waiting). */
  movedAt: number;
  /** Sweeps in a row that saw bytes waiting and none moving. */
  stillSweeps: number;
}

/** Bytes of the write in progress that libuv has not handed to the kernel yet (0 when unknown). */
function libuvQueue(socket: Socket): number {
  // `writeQueueSize` of the stream handle (the libuv write queue). Without it, progress is only seen
  // when a whole write completes, which is later but never wrong.
  const size = (socket as unknown as { _handle?: { writeQueueSize?: unknown } | null })._handle
    ?.writeQueueSize;
  return typeof size === 'number' ? size : 0;
}

/**
 * A write-stall watchdog: one timer for all responses (per request only a set entry and a close
 * listener) sweeps the watched responses a few times per timeout. A response whose socket holds bytes that do not move — the
 * caller's receive window stays closed because it stopped reading — is reported after `timeoutMs`.
 * Only bytes already waiting count: an idle response (a slow upstream, a model thinking for minutes
 * before its first token) has nothing waiting and never stalls, and a caller that reads slowly but
 * steadily moves bytes between sweeps and never stalls either.
 */
export function createWriteStallWatchdog(options: WriteStallWatchdogOptions): WriteStallWatchdog {
  const now = options.now ?? Date.now;
  const watched = new Set<Watched>();
  // A stall is seen between `timeoutMs` and `timeoutMs` plus one sweep interval after the bytes stopped.
  const intervalMs = Math.min(1_000, Math.max(10, Math.floor(options.timeoutMs / 4)));
  // A stall must also be seen by enough sweeps in a row: after the whole process was frozen (a long
  // garbage collection, a suspended VM) the clock has moved but nobody had a chance to read.
  const sweepsNeeded = Math.ceil(options.timeoutMs / intervalMs);
  let timer: NodeJS.Timeout | undefined;

  function sweep(): void {
    const time = now();
    for (const entry of watched) {
      const { response } = entry;
      const socket = response.socket;
      if (socket?.destroyed === true || response.destroyed) {
        watched.delete(entry);
        continue;
      }
      if (socket === null) {
        // A pipelined response waits (without a socket) until the responses before it on the connection
        // are done; nothing of it waits in the socket yet, and it is watched once it has one.
        entry.movedAt = time;
        entry.stillSweeps = 0;
        continue;
      }
      const waiting = socket.writableLength;
      const delivered = socket.bytesWritten - waiting;
      const queued = libuvQueue(socket);
      if (waiting === 0 || delivered > entry.delivered || queued < entry.queued) {
        entry.movedAt = time;
        entry.stillSweeps = 0;
      } else {
        entry.stillSweeps++;
      }
      entry.delivered = delivered;
      entry.queued = queued;
      if (entry.stillSweeps >= sweepsNeeded && time - entry.movedAt >= options.timeoutMs) {
        watched.delete(entry);
        entry.onStall();
      }
    }
    if (watched.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    watch(response, onStall) {
      if (options.timeoutMs <= 0) return;
      const entry: Watched = { response, onStall, delivered: 0, queued: 0, movedAt: now(), stillSweeps: 0 };
      watched.add(entry);
      response.once('close', () => watched.delete(entry));
      if (timer === undefined) timer = setInterval(sweep, intervalMs).unref();
    },
    close() {
      watched.clear();
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
