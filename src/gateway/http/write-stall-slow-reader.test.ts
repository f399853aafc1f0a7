import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { createLogger } from '../../monitor/logger.js';
import { AegisError } from '../../spec/errors.js';
import { openStores, type Stores } from '../../store/open-stores.js';
import type { GatewayConfigInput } from '../config/gateway-config-schema.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createGateway, type Gateway } from '../server.js';
import {
  eventually,
  type StreamingUpstream,
  sendAndNeverRead,
  startStreamingUpstream,
} from '../test-support/streaming-upstream.js';
import { createWriteStallWatchdog, type WriteStallReport } from './write-stall-watchdog.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads like a slowloris caller: takes one chunk (what one read from the kernel returns, at most 64 KiB),
 * pauses, rests `restMs`, and again, until the connection closes. Resolves with the bytes it read.
 */
async function readSlowly(socket: Socket, restMs: number, limitMs = 15_000): Promise<number> {
  let received = 0;
  let closed = false;
  socket.on('data', (data: Buffer) => {
    received += data.length;
    socket.pause();
  });
  socket.once('close', () => {
    closed = true;
  });
  for (let waited = 0; !closed && waited < limitMs; waited += restMs) {
    socket.resume();
    await sleep(restMs);
  }
  socket.destroy();
  return received;
}

/** The content of a chat-completion SSE stream, deltas joined. */
function streamedContent(text: string): string {
  let content = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const event = JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] };
    content += event.choices[0]?.delta.content ?? '';
  }
  return content;
}

// Loopback sockets buffer several MiB between the gateway and a caller (Linux grows the send buffer
// to 4 MiB and the receive buffer to about 6 MiB), and the kernel frees room in steps of about 1.4 MiB.
// So the tests measure over short windows at a rate well above what `readSlowly` reads (at most some
// 400 KiB/s), with the stall rule set far out of reach: only the rate rule can cut these callers.
const SLOW_LIMITS = {
  writeStallTimeoutMs: 60_000,
  slowReaderBytesPerSecond: 4 * 1024 * 1024,
  slowReaderWindowMs: 300,
};

describe('a caller that reads too slowly', () => {
  let upstream: StreamingUpstream;
  let gateway: Gateway;
  let url: string;
  let dataDir: string;
  let stores: Stores;
  /** A key allowed one request at a time: a slot the slow request kept would refuse the next one. */
  let key: string;
  const records: { status: number; errorCode: string | null }[] = [];
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    upstream = await startStreamingUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-slow-reader-'));
    stores = openStores({ dataDir, auditWriter: 'thread' });
    key = stores.keyStore.create({ name: 'one-at-a-time', concurrency: 1 }).key;
    const config: GatewayConfigInput = {
      host: '127.0.0.1',
      port: 0,
      upstreams: [{ name: 'mock', provider: 'openai', baseUrl: upstream.url, retries: 0 }],
      limits: SLOW_LIMITS,
    };
    gateway = createGateway({
      config: parseGatewayConfig(config),
      guard: createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS }),
      logger: createLogger({ level: 'warn', write: (line) => lines.push(JSON.parse(line)) }),
      keys: stores.keyStore,
      limiter: stores.limiter,
      audit: {
        append: (record) => {
          records.push({ status: record.status as number, errorCode: record.errorCode as string | null });
          return { id: String(records.length) };
        },
        flush: () => {},
        close: () => {},
      },
      environment: {},
    });
    url = (await gateway.listen()).url;
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
    stores.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is reset when it reads a stream below the rate: upstream cancelled, audit and log say why', async () => {
    upstream.mode = { kind: 'endless' };
    const cancelledBefore = upstream.cancelled;
    const caller = sendAndNeverRead(url, { key });
    const received = await readSlowly(caller, 150);
    // It did read: a slow reader, not one that stopped.
    expect(received).toBeGreaterThan(0);
    await eventually(() => upstream.cancelled === cancelledBefore + 1);
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 499, errorCode: 'AEGIS_CLIENT_TOO_SLOW' });
    const warning = lines.find((line) => line.msg === 'caller reads too slowly: connection reset');
    expect(warning).toMatchObject({
      route: '/v1/chat/completions',
      errorCode: 'AEGIS_CLIENT_TOO_SLOW',
      minBytesPerSecond: SLOW_LIMITS.slowReaderBytesPerSecond,
    });
    expect(warning?.readBytesPerSecond).toBeLessThan(SLOW_LIMITS.slowReaderBytesPerSecond);
    // The gateway keeps serving, and the key's only concurrency slot is free again.
    upstream.mode = { kind: 'silent', silentMs: 0 };
    const next = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'again' }] }),
    });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('thought about it');
  });

  it('is reset when it reads a large whole answer below the rate', async () => {
    records.length = 0;
    // Larger than the socket buffers on the way can hold, so most of it waits for the caller.
    upstream.mode = { kind: 'whole', chars: 12 * 1024 * 1024 };
    const caller = sendAndNeverRead(url, { stream: false, key });
    await readSlowly(caller, 150);
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 499, errorCode: 'AEGIS_CLIENT_TOO_SLOW' });
  });

  it('is not cut for a slow upstream: a caller that reads at once receives far below the rate', async () => {
    records.length = 0;
    lines.length = 0;
    // A few hundred bytes per gap (enough for the window guard to release each piece as it comes), gaps
    // longer than the window: a rate rule without the backpressure condition would cut this caller at
    // its first window.
    const pieces = ['thinking', 'slowly', 'then', 'answering'].map((word) => `${word} `.repeat(60));
    upstream.mode = { kind: 'trickle', pieces, gapMs: 350 };
    const answer = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'slowly' }] }),
    });
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(streamedContent(text)).toBe(pieces.join(''));
    expect(text).toContain('data: [DONE]');
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 200, errorCode: null });
    expect(lines.filter((line) => line.errorCode !== undefined)).toEqual([]);
  });

  it('is not cut while it reads nothing and nothing waits (a silent upstream)', async () => {
    records.length = 0;
    upstream.mode = { kind: 'silent', silentMs: 700 };
    const caller = sendAndNeverRead(url, { key });
    let received = '';
    caller.on('data', (data: Buffer) => {
      received += data.toString('utf8');
    });
    // Over two windows without a byte read; what arrives at the end fits in the socket buffers.
    await sleep(900);
    caller.resume();
    await eventually(() => received.includes('data: [DONE]'));
    expect(caller.destroyed).toBe(false);
    caller.destroy();
    await once(caller, 'close');
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 200, errorCode: null });
  });
});

describe('slow-reader limits in the gateway config', () => {
  it('default to 1024 B/s over 30 s', () => {
    const { limits } = parseGatewayConfig({});
    expect(limits.slowReaderBytesPerSecond).toBe(1024);
    expect(limits.slowReaderWindowMs).toBe(30_000);
  });

  it.each([
    [{ slowReaderBytesPerSecond: -1 }, 'limits.slowReaderBytesPerSecond: must be 0 (off) or a positive'],
    [{ slowReaderBytesPerSecond: 2.5 }, 'limits.slowReaderBytesPerSecond: must be a whole number'],
    [{ slowReaderBytesPerSecond: '1k' }, 'limits.slowReaderBytesPerSecond: must be a number'],
    [{ slowReaderWindowMs: 0 }, 'limits.slowReaderWindowMs: must be at least 100 ms'],
    [{ slowReaderWindowMs: 7_200_000 }, 'limits.slowReaderWindowMs: must be at most 3600000 ms'],
  ])('refuses %j with a clear AEGIS_CONFIG_INVALID', (limits, message) => {
    let error: unknown;
    try {
      parseGatewayConfig({ limits });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AegisError);
    expect((error as AegisError).code).toBe('AEGIS_CONFIG_INVALID');
    expect((error as AegisError).message).toContain(message);
  });
});

/** A response whose socket reports the numbers the watchdog reads, set by the test. */
function fakeResponse(): {
  response: ServerResponse;
  socket: {
    writableLength: number;
    bytesWritten: number;
    _handle: { bytesWritten: number; writeQueueSize: number };
  };
} {
  const socket = {
    destroyed: false,
    writableLength: 0,
    bytesWritten: 0,
    _handle: { bytesWritten: 0, writeQueueSize: 0 },
  };
  const response = Object.assign(new EventEmitter(), { socket, destroyed: false });
  return { response: response as unknown as ServerResponse, socket };
}

// The rule sweep by sweep, on a clock the test moves: what real sockets cannot show on loopback, where
// the kernel frees room only in steps of about 1.4 MiB, is a caller whose bytes move at every sweep.
describe('the slow-reader rule, sweep by sweep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** One large write waiting in libuv; each sweep interval the kernel takes `bytesPerSweep` of it. */
  function trickleOut(
    bytesPerSweep: number,
    sweeps: number,
    socket: ReturnType<typeof fakeResponse>['socket'],
  ): void {
    for (let sweep = 0; sweep < sweeps; sweep++) {
      socket._handle.writeQueueSize -= bytesPerSweep;
      vi.advanceTimersByTime(100);
    }
  }

  function waitingSocket(socket: ReturnType<typeof fakeResponse>['socket']): void {
    socket.writableLength = 1_000_000;
    socket.bytesWritten = 1_000_000;
    socket._handle.bytesWritten = 1_000_000;
    socket._handle.writeQueueSize = 900_000;
  }

  it('cuts a caller whose bytes move at every sweep (so it never stalls) but below the rate', () => {
    vi.useFakeTimers();
    // Sweeps every 100 ms (a quarter of the stall timeout); 10 bytes a sweep is 100 B/s.
    const watchdog = createWriteStallWatchdog({
      timeoutMs: 400,
      minBytesPerSecond: 1024,
      slowWindowMs: 1_000,
    });
    const { response, socket } = fakeResponse();
    const reports: WriteStallReport[] = [];
    watchdog.watch(response, (report) => reports.push(report));
    waitingSocket(socket);
    trickleOut(10, 9, socket);
    expect(reports).toEqual([]);
    trickleOut(10, 4, socket);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.reason).toBe('slow');
    expect(reports[0]?.takenBytes).toBeGreaterThan(0);
    expect(reports[0]?.takenBytes).toBeLessThan(1024);
    watchdog.close();
  });

  it('keeps a caller that takes its bytes at the rate or above, window after window', () => {
    vi.useFakeTimers();
    const watchdog = createWriteStallWatchdog({
      timeoutMs: 400,
      minBytesPerSecond: 1024,
      slowWindowMs: 1_000,
    });
    const { response, socket } = fakeResponse();
    const reports: WriteStallReport[] = [];
    watchdog.watch(response, (report) => reports.push(report));
    waitingSocket(socket);
    trickleOut(110, 100, socket);
    expect(reports).toEqual([]);
    watchdog.close();
  });

  it('never measures a caller that has nothing waiting, with the stall rule off', () => {
    vi.useFakeTimers();
    const watchdog = createWriteStallWatchdog({ timeoutMs: 0, minBytesPerSecond: 1024, slowWindowMs: 1_000 });
    const { response, socket } = fakeResponse();
    const reports: WriteStallReport[] = [];
    watchdog.watch(response, (report) => reports.push(report));
    // Ten seconds of a trickling upstream: 5 bytes a sweep, each taken at once.
    for (let sweep = 0; sweep < 100; sweep++) {
      socket.bytesWritten += 5;
      socket._handle.bytesWritten += 5;
      vi.advanceTimersByTime(250);
    }
    expect(reports).toEqual([]);
    // Then bytes wait and nothing moves: the rate rule alone cuts it.
    waitingSocket(socket);
    trickleOut(0, 20, socket);
    expect(reports.map((report) => report.reason)).toEqual(['slow']);
    watchdog.close();
  });

  it('does nothing when both rules are off', () => {
    vi.useFakeTimers();
    const watchdog = createWriteStallWatchdog({ timeoutMs: 0, minBytesPerSecond: 0 });
    const { response, socket } = fakeResponse();
    const reports: WriteStallReport[] = [];
    watchdog.watch(response, (report) => reports.push(report));
    waitingSocket(socket);
    trickleOut(0, 100, socket);
    expect(reports).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
