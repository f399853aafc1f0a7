import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../monitor/metrics.js';
import { createRequestMonitor } from '../../monitor/request-monitor.js';
import { openStores, type Stores } from '../../store/open-stores.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, limitMs = 10_000): Promise<void> {
  for (let waited = 0; waited < limitMs && !check(); waited += 20) await sleep(20);
  expect(check()).toBe(true);
}

function chatChunk(content: string, finish: string | null = null): string {
  const delta = content === '' && finish !== null ? {} : { content };
  return `data: ${JSON.stringify({
    id: 'chatcmpl-stall',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'mock',
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

/** Resolves at the response's next `drain` or `close`, whichever comes first. */
function drainOrClose(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** An upstream that streams without end (honouring backpressure), or waits `silentMs` before answering. */
interface StreamingUpstream {
  url: string;
  /** Streams whose connection closed before the upstream ended them. */
  cancelled: number;
  /** Bytes the upstream managed to write. */
  written: number;
  /** `endless`: stream until cancelled; `silent`: one short answer after `silentMs`; `whole`: a large JSON answer. */
  mode: { kind: 'endless' } | { kind: 'silent'; silentMs: number } | { kind: 'whole'; chars: number };
  close(): Promise<void>;
}

async function startStreamingUpstream(): Promise<StreamingUpstream> {
  const sockets = new Set<Socket>();
  const state: StreamingUpstream = {
    url: '',
    cancelled: 0,
    written: 0,
    mode: { kind: 'endless' },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const piece = 'the quick brown fox jumps over the lazy dog '.repeat(90);
  async function endless(response: ServerResponse): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    // Bounded, so a broken gateway cannot make the test run for ever.
    while (state.written < 256 * 1024 * 1024) {
      if (response.destroyed) break;
      const event = chatChunk(piece);
      state.written += event.length;
      if (!response.write(event)) await drainOrClose(response);
    }
    if (response.destroyed) state.cancelled++;
    else response.end();
  }
  async function silent(response: ServerResponse, silentMs: number): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    await sleep(silentMs);
    response.end(`${chatChunk('thought about it')}${chatChunk('', 'stop')}data: [DONE]\n\n`);
  }
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { mode } = state;
      if (mode.kind === 'endless') void endless(response);
      else if (mode.kind === 'silent') void silent(response, mode.silentMs);
      else {
        const content = 'plain words and nothing else '.repeat(Math.ceil(mode.chars / 29));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'chatcmpl-whole',
            object: 'chat.completion',
            created: 1,
            model: 'mock',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
          }),
        );
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

/** Sends a chat request (streamed by default) over a raw socket that is never read. */
function sendAndNeverRead(gatewayUrl: string, options: { stream?: boolean; key?: string } = {}): Socket {
  const { port } = new URL(gatewayUrl);
  const body = JSON.stringify({
    model: 'm',
    stream: options.stream ?? true,
    messages: [{ role: 'user', content: 'tell me' }],
  });
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write(
    'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
      (options.key === undefined ? '' : `authorization: Bearer ${options.key}\r\n`) +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.pause();
  return socket;
}

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
