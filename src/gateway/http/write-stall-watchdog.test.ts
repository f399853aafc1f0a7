import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../monitor/metrics.js';
import { createRequestMonitor } from '../../monitor/request-monitor.js';
import { openStores, type Stores } from '../../store/open-stores.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import {
  eventually,
  type StreamingUpstream,
  sendAndNeverRead,
  startStreamingUpstream,
} from '../test-support/streaming-upstream.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a caller that stops reading', () => {
  let upstream: StreamingUpstream;
  let test: TestGateway;
  let dataDir: string;
  let stores: Stores;
  /** A key allowed one request at a time: a slot the stalled request kept would refuse the next one. */
  let key: string;
  const metrics = createMetrics({ processMetrics: false });
  const records: { status: number; errorCode: string | null }[] = [];

  beforeAll(async () => {
    upstream = await startStreamingUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-stall-'));
    stores = openStores({ dataDir, auditWriter: 'thread' });
    key = stores.keyStore.create({ name: 'one-at-a-time', concurrency: 1 }).key;
    test = await startTestGateway(
      {
        upstreams: [{ name: 'mock', provider: 'openai', baseUrl: upstream.url, retries: 0 }],
        limits: { writeStallTimeoutMs: 500 },
      },
      {
        audit: {
          append: (record) => {
            records.push({ status: record.status as number, errorCode: record.errorCode as string | null });
            return { id: String(records.length) };
          },
          flush: () => {},
          close: () => {},
        },
        monitor: createRequestMonitor({ metrics }),
        keys: stores.keyStore,
        limiter: stores.limiter,
      },
    );
  });
  afterAll(async () => {
    await test.close();
    await upstream.close();
    stores.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is dropped: the socket closes, the upstream call is cancelled, audit and metrics say why', async () => {
    upstream.mode = { kind: 'endless' };
    const caller = sendAndNeverRead(test.url, { key });
    const closed = once(caller, 'close');
    await eventually(() => upstream.cancelled === 1);
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 499, errorCode: 'AEGIS_CLIENT_WRITE_STALLED' });
    // Backpressure held the upstream back: it wrote little more than the buffers on the way can hold.
    expect(upstream.written).toBeLessThan(64 * 1024 * 1024);
    // Reading now finds the connection reset (or ended) by the gateway.
    caller.resume();
    await closed;
    const scrape = await (await fetch(`${test.url}/metrics`)).text();
    expect(scrape).toMatch(/aegis_requests_total\{route="\/v1\/chat\/completions",status="499"\} 1/);
    // The gateway keeps serving, and the key's only concurrency slot is free again.
    upstream.mode = { kind: 'silent', silentMs: 0 };
    const next = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'again' }] }),
    });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('thought about it');
  });

  it('is dropped when it does not read a large whole answer, and that is what the audit records', async () => {
    records.length = 0;
    // Larger than the socket buffers on the way can hold (about 4 MiB on Linux loopback).
    upstream.mode = { kind: 'whole', chars: 12 * 1024 * 1024 };
    const caller = sendAndNeverRead(test.url, { stream: false, key });
    const closed = once(caller, 'close');
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 499, errorCode: 'AEGIS_CLIENT_WRITE_STALLED' });
    caller.resume();
    await closed;
  });

  it('is not dropped while the upstream is silent (nothing waits to be read)', async () => {
    records.length = 0;
    // Several times the stall timeout without a byte from the upstream, as a reasoning model may do;
    // the caller reads nothing meanwhile, and not at once after the answer either.
    upstream.mode = { kind: 'silent', silentMs: 1_200 };
    const caller = sendAndNeverRead(test.url, { key });
    let received = '';
    caller.on('data', (data: Buffer) => {
      received += data.toString('utf8');
    });
    await sleep(1_600);
    caller.resume();
    await eventually(() => received.includes('data: [DONE]'));
    expect(received).toContain('thought about it');
    expect(caller.destroyed).toBe(false);
    caller.destroy();
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 200, errorCode: null });
  });
});

describe('a caller that reads slowly but steadily', () => {
  let upstream: StreamingUpstream;
  let test: TestGateway;
  const records: { status: number; errorCode: string | null }[] = [];

  beforeAll(async () => {
    upstream = await startStreamingUpstream();
    test = await startTestGateway(
      {
        upstreams: [{ name: 'mock', provider: 'openai', baseUrl: upstream.url, retries: 0 }],
        limits: { writeStallTimeoutMs: 500 },
      },
      {
        audit: {
          append: (record) => {
            records.push({ status: record.status as number, errorCode: record.errorCode as string | null });
            return { id: String(records.length) };
          },
          flush: () => {},
          close: () => {},
        },
      },
    );
  });
  afterAll(async () => {
    await test.close();
    await upstream.close();
  });

  it('is never dropped, and leaving is recorded as leaving', async () => {
    upstream.mode = { kind: 'endless' };
    const caller = sendAndNeverRead(test.url);
    let received = 0;
    let reset = false;
    caller.on('data', (data: Buffer) => {
      received += data.length;
    });
    caller.on('close', () => {
      reset = true;
    });
    // Reads about 256 KiB, then rests 40 ms, for three times the stall timeout: far slower than the
    // upstream sends, so the buffers on the way stay full and every byte waits for the reader.
    const started = Date.now();
    while (Date.now() - started < 1_500) {
      const target = received + 256 * 1024;
      caller.resume();
      while (received < target && !reset) await sleep(1);
      caller.pause();
      await sleep(40);
    }
    expect(reset).toBe(false);
    expect(received).toBeGreaterThan(1024 * 1024);
    caller.destroy();
    await eventually(() => upstream.cancelled === 1);
    await eventually(() => records.length === 1);
    expect(records[0]).toEqual({ status: 499, errorCode: null });
  });
});

describe('a connection that never sends its request', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway({ limits: { requestTimeoutMs: 300 } });
  });
  afterAll(async () => {
    await test.close();
  });

  it('is answered 408 and closed after limits.requestTimeoutMs (Node headersTimeout follows it)', async () => {
    const { port } = new URL(test.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('utf8');
    });
    await once(socket, 'close');
    expect(received.startsWith('HTTP/1.1 408')).toBe(true);
    expect(test.gateway.server.headersTimeout).toBe(300);
  });
});
