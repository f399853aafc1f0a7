import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayAudit } from '../gateway-hooks.js';
import { chatStreamEvents, type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { twoProviderUpstreams } from '../test-support/two-provider-upstreams.js';

type Tokens = { input: number; output: number } | null;

// Streamed tokens count against per-minute and daily budgets. A chunk of a chat stream carries about
// 150 characters of JSON around each one-token delta: counting those characters as text charged a
// streamed answer many times its size.
describe('tokens of streamed answers', () => {
  let mock: MockUpstream;
  let test: TestGateway;
  const tokens: Tokens[] = [];
  const audit: GatewayAudit = {
    append: (record) => {
      tokens.push(record.tokens as Tokens);
      return { id: String(tokens.length) };
    },
    flush: () => {},
    close: () => {},
  };
  beforeAll(async () => {
    mock = await startMockUpstream();
    test = await startTestGateway(
      {
        upstreams: twoProviderUpstreams(mock),
      },
      { audit },
    );
  });
  afterAll(async () => {
    await test.close();
    await mock.close();
  });

  const stream = async (path: string, body: Record<string, unknown>): Promise<Tokens> => {
    const response = await fetch(`${test.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    await response.text();
    for (let waited = 0; waited < 2000 && tokens.length === 0; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    return tokens.splice(0).at(-1) ?? null;
  };

  it('estimates the output from the answer text when the stream reports no usage', async () => {
    // 40 deltas of one word: 200 characters of text, about 50 tokens.
    mock.script.push({ kind: 'stream', pieces: Array.from({ length: 40 }, () => 'word ') });
    const counted = await stream('/v1/chat/completions', {
      model: 'gpt',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(counted?.output).toBe(50);
  });

  it('takes the usage an OpenAI stream reports (stream_options.include_usage)', async () => {
    const usage = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } })}\n\n`;
    const events = chatStreamEvents(['Hello', ' there']);
    events.splice(events.length - 1, 0, usage);
    mock.script.push({ kind: 'raw-stream', events });
    const counted = await stream('/v1/chat/completions', {
      model: 'gpt',
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(counted).toEqual({ input: 12, output: 7 });
  });

  it('takes the usage an Anthropic stream reports', async () => {
    const event = (data: Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    mock.script.push({
      kind: 'raw-stream',
      events: [
        event({
          type: 'message_start',
          message: {
            id: 'm',
            type: 'message',
            role: 'assistant',
            content: [],
            usage: { input_tokens: 21, output_tokens: 1 },
          },
        }),
        event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi there' } }),
        event({ type: 'content_block_stop', index: 0 }),
        event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
        event({ type: 'message_stop' }),
      ],
    });
    const counted = await stream('/v1/messages', {
      model: 'claude',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(counted).toEqual({ input: 21, output: 9 });
  });
});
