import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a caller that leaves a stream', () => {
  let upstream: MockUpstream;
  let test: TestGateway;
  const statuses: number[] = [];

  beforeAll(async () => {
    upstream = await startMockUpstream();
    test = await startTestGateway(
      { upstreams: [{ name: 'mock', provider: 'openai', baseUrl: upstream.url, retries: 0 }] },
      {
        audit: {
          append: (record) => {
            statuses.push(record.status as number);
            return { id: String(statuses.length) };
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

  it('stops the upstream stream, and the gateway keeps serving', async () => {
    const before = upstream.abortedStreams;
    upstream.script.push({ kind: 'stream', pieces: Array.from({ length: 300 }, () => 'word '), delayMs: 10 });
    const controller = new AbortController();
    const response = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    await sleep(100);
    controller.abort();
    for (let waited = 0; waited < 3000 && upstream.abortedStreams === before; waited += 20) await sleep(20);
    expect(upstream.abortedStreams).toBeGreaterThan(before);
    // Recorded as left by the caller, not as a complete 200.
    for (let waited = 0; waited < 2000 && statuses.length === 0; waited += 20) await sleep(20);
    expect(statuses[0]).toBe(499);
    const next = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'still there?' }] }),
    });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('still there?');
  });
});

describe('a caller that leaves before a whole answer arrives', () => {
  let upstream: MockUpstream;
  let test: TestGateway;
  const records: { status: number; errorCode: string | null }[] = [];

  beforeAll(async () => {
    upstream = await startMockUpstream();
    // One connection to an upstream that takes long to answer: a request nobody waits for any more
    // must give it back, or every later request queues behind it.
    test = await startTestGateway(
      {
        upstreams: [
          {
            name: 'mock',
            provider: 'openai',
            baseUrl: upstream.url,
            retries: 0,
            connections: 1,
            timeoutMs: 60_000,
          },
        ],
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

  it('cancels the upstream request, frees its connection, and records the caller leaving', async () => {
    upstream.script.push({ kind: 'hang' });
    const controller = new AbortController();
    const before = upstream.received.length;
    const left = fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'take your time' }] }),
      signal: controller.signal,
    }).catch(() => 'left');
    for (let waited = 0; waited < 3000 && upstream.received.length === before; waited += 20) await sleep(20);
    controller.abort();
    expect(await left).toBe('left');
    const next = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'next one' }] }),
    });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('next one');
    expect(records[0]).toEqual({ status: 499, errorCode: null });
  });
});
