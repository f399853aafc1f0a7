import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Options of `createWriteStallWatchdog`. */
export interface WriteStallWatchdogOptions {
  /** How long bytes may wait in a caller's socket without any of them leaving (0 turns this rule off). */
  timeoutMs: number;
  /**
   * Least average rate, in bytes per second, at which a caller must take the bytes waiting for it over
   * `slowWindowMs` (0 or absent turns this rule off).
   */
  minBytesPerSecond?: number;
  /** Time over which the rate of a caller with bytes waiting is measured (default: `timeoutMs`). */
  slowWindowMs?: number;
  /** Injected for tests; defaults to `Date.now`. */
  now?: () => number;
}

/** Why a response was given up: no byte moved (`stalled`), or bytes moved below the least rate (`slow`). */
export type WriteStallReason = 'stalled' | 'slow';

/** What the watchdog saw when it gave up a response. */
export interface WriteStallReport {
  reason: WriteStallReason;
  /** Milliseconds the caller had bytes waiting over the measure that failed. */
  elapsedMs: number;
  /** Bytes the caller took meanwhile (`slow` only; 0 for `stalled`). */
  takenBytes: number;
}

/** Notices callers that stopped reading their answers, or read them too slowly. */
export interface WriteStallWatchdog {
  /**
   * Watches a response until it closes: `onStall` runs once when bytes written to the caller's socket
   * made no progress for the timeout, or left below the least rate over the slow-reader window.
   */
  watch(response: ServerResponse, onStall: (report: WriteStallReport) => void): void;
  /** Stops watching everything. */
  close(): void;
}

interface Watched {
  response: ServerResponse;
  onStall: (report: WriteStallReport) => void;
  /** Bytes whose writes completed (handed to the kernel), at the last sweep. */
  delivered: number;
  /** Bytes libuv still holds of the write in progress, at the last sweep. */
  queued: number;
  /** When the bytes waiting were last seen to move (or were first seen waiting). */
  movedAt: number;
  /** Sweeps in a row that saw bytes waiting and none moving. */
  stillSweeps: number;
  /** When the current rate window began (the first sweep of a run that saw bytes waiting). */
  rateSince: number;
  /** Bytes the kernel had taken from the socket when the rate window began. */
  rateFrom: number;
  /** Sweeps since the rate window began (0: no window, nothing was waiting at the last sweep). */
  rateSweeps: number;
}

interface StreamHandle {
  writeQueueSize?: unknown;
  bytesWritten?: unknown;
}

function handleOf(socket: Socket): StreamHandle | null | undefined {
  return (socket as unknown as { _handle?: StreamHandle | null })._handle;
}

/** Bytes of the write in progress that libuv has not handed to the kernel yet (0 when unknown). */
function libuvQueue(socket: Socket): number {
  // `writeQueueSize` of the stream handle (the libuv write queue). Without it, progress is only seen
  // when a whole write completes, which is later but never wrong.
  const size = handleOf(socket)?.writeQueueSize;
  return typeof size === 'number' ? size : 0;
}

/**
 * Bytes the kernel has taken from the socket so far: bytes dispatched to the stream handle less those
 * libuv still queues. Exact at any moment, also in the middle of one large write (a whole answer is one
 * write). `undefined` when the handle does not tell, and then the rate rule stays out of it.
 */
function kernelTaken(socket: Socket): number | undefined {
  const handle = handleOf(socket);
  const dispatched = handle?.bytesWritten;
  const queued = handle?.writeQueueSize;
  return typeof dispatched === 'number' && typeof queued === 'number' ? dispatched - queued : undefined;
}

/**
 * A write-stall watchdog: one timer for all responses (per request only a set entry and a close
 * listener) sweeps the watched responses a few times per window. Two rules, both judged only while bytes
 * wait in the caller's socket (`writableLength > 0`: on a TCP socket that means the kernel refused them
 * because its send buffer is full, i.e. the caller or its network does not take what was sent):
 *
 * - stall: bytes wait and none of them moves for `timeoutMs` (the caller stopped reading);
 * - slow reader: bytes wait at every sweep for `slowWindowMs` and the kernel took fewer than
 *   `minBytesPerSecond` of them per second meanwhile (a slowloris reader that takes a little now and
 *   then to look alive, holding the upstream call, a limiter slot and buffers as long as it likes).
 *
 * Why neither cuts an honest caller: an idle response (a slow upstream, a model thinking for minutes
 * before its first token, a stream that trickles a few bytes a second) has nothing waiting, because the
 * kernel's buffers (hundreds of KiB at least) take every byte at once; any sweep that finds nothing
 * waiting ends the rate window, so a caller that reads everything it is sent is never measured, however
 * little it is sent. Only a caller that fell behind by whole socket buffers and stays behind for the
 * whole window is measured, and it is judged on what it took, not on what the upstream produced.
 * Windows follow each other (each one measured on its own), so the sweep keeps three numbers per
 * response and no history. Progress is seen when the kernel frees room, which Linux reports once about a
 * third of the send buffer is free: steps of some KiB to 1.4 MiB, each counting all the bytes it freed.
 * With the window at least the stall timeout (the default), a caller the stall rule keeps shows a step
 * in every window, so it can only be cut when its steps are smaller than rate × window and it reads below
 * twice the rate: the step size bounds the error of a window. A shorter window than the steps' spacing
 * would cut callers that read fast in large steps, hence the advice to keep it that long.
 */
export function createWriteStallWatchdog(options: WriteStallWatchdogOptions): WriteStallWatchdog {
  const now = options.now ?? Date.now;
  const stallMs = Math.max(0, options.timeoutMs);
  const minRate = Math.max(0, options.minBytesPerSecond ?? 0);
  const slowMs = minRate > 0 ? Math.max(0, options.slowWindowMs ?? stallMs) : 0;
  const shortest = Math.min(stallMs > 0 ? stallMs : Infinity, slowMs > 0 ? slowMs : Infinity);
  const watched = new Set<Watched>();
  // A stall is seen between `timeoutMs` and `timeoutMs` plus one sweep interval after the bytes stopped.
  const intervalMs = Number.isFinite(shortest) ? Math.min(1_000, Math.max(10, Math.floor(shortest / 4))) : 0;
  // A stall or a slow window must also be seen by enough sweeps in a row: after the whole process was
  // frozen (a long garbage collection, a suspended VM) the clock has moved but nobody had a chance to read.
  const sweepsNeeded = intervalMs > 0 ? Math.ceil(stallMs / intervalMs) : 0;
  const rateSweepsNeeded = intervalMs > 0 ? Math.ceil(slowMs / intervalMs) : 0;
  let timer: NodeJS.Timeout | undefined;

  function report(entry: Watched, stall: WriteStallReport): void {
    watched.delete(entry);
    entry.onStall(stall);
  }

  /** The rate rule for one response with a socket. */
  function judgeRate(entry: Watched, socket: Socket, time: number): void {
    const taken = socket.writableLength > 0 ? kernelTaken(socket) : undefined;
    if (taken === undefined) {
      // Nothing waits: the caller has taken everything it was sent, so it is not behind at all.
      entry.rateSweeps = 0;
      return;
    }
    if (entry.rateSweeps > rateSweepsNeeded && time - entry.rateSince >= slowMs) {
      const elapsedMs = time - entry.rateSince;
      const takenBytes = taken - entry.rateFrom;
      if (takenBytes * 1_000 < minRate * elapsedMs) {
        report(entry, { reason: 'slow', elapsedMs, takenBytes });
        return;
      }
      // Fast enough over this window: the next one starts here.
      entry.rateSweeps = 0;
    }
    if (entry.rateSweeps === 0) {
      entry.rateSince = time;
      entry.rateFrom = taken;
    }
    entry.rateSweeps++;
  }

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
        entry.rateSweeps = 0;
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
      if (stallMs > 0 && entry.stillSweeps >= sweepsNeeded && time - entry.movedAt >= stallMs) {
        report(entry, { reason: 'stalled', elapsedMs: time - entry.movedAt, takenBytes: 0 });
        continue;
      }
      if (slowMs > 0) judgeRate(entry, socket, time);
    }
    if (watched.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    watch(response, onStall) {
      if (intervalMs === 0) return;
      const time = now();
      const entry: Watched = {
        response,
        onStall,
        delivered: 0,
        queued: 0,
        movedAt: time,
        stillSweeps: 0,
        rateSince: time,
        rateFrom: 0,
        rateSweeps: 0,
      };
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
