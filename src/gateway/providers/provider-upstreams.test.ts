import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSseParser } from '../streaming/sse-parser.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

const EMAIL = 'jane.doe@example.com';

describe('Anthropic and Azure upstreams', () => {
  let mock: MockUpstream;
  let test: TestGateway;
  beforeAll(async () => {
    mock = await startMockUpstream();
    const origin = mock.url.replace(/\/v1$/, '');
    test = await startTestGateway(
      {
        upstreams: [
          {
            name: 'claude',
            provider: 'anthropic',
            baseUrl: origin,
            apiKeyEnv: 'ANTHROPIC_KEY',
            models: ['claude-x'],
            retries: 0,
          },
          {
            name: 'azure',
            provider: 'azure',
            baseUrl: origin,
            apiKeyEnv: 'AZURE_KEY',
            apiVersion: '2024-10-21',
            models: ['prod-4o'],
            retries: 0,
          },
        ],
      },
      { environment: { ANTHROPIC_KEY: 'anthropic-secret', AZURE_KEY: 'azure-secret' } },
    );
  });
  afterAll(async () => {
    await test.close();
    await mock.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${test.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'caller' },
      body: JSON.stringify(body),
    });

  it('speaks the Anthropic Messages API upstream, with redaction and restore', async () => {
    mock.script.push({
      kind: 'json',
      body: {
        id: 'msg',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [{ type: 'text', text: 'Hi <EMAIL_ADDRESS_1>!' }],
        stop_reason: 'end_turn',
      },
    });
    const response = await post('/v1/messages', {
      model: 'claude-x',
      max_tokens: 10,
      messages: [{ role: 'user', content: `I am ${EMAIL}` }],
    });
    expect(((await response.json()) as { content: { text: string }[] }).content[0]?.text).toBe(
      `Hi ${EMAIL}!`,
    );
    const sent = mock.received.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('anthropic-secret');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.stringify(sent.body)).not.toContain(EMAIL);
  });

  it('guards an Anthropic stream from the upstream, restoring a placeholder split across deltas', async () => {
    const event = (data: Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    const pieces = ['Hi <EMA', 'IL_ADD', 'RESS_1', '>, done.'];
    mock.script.push({
      kind: 'raw-stream',
      events: [
        event({
          type: 'message_start',
          message: { id: 'm', type: 'message', role: 'assistant', content: [] },
        }),
        event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        ...pieces.map((text) =>
          event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
        ),
        event({ type: 'content_block_stop', index: 0 }),
        event({ type: 'message_delta', delta: { stop_reason: 'end_turn' } }),
        event({ type: 'message_stop' }),
      ],
      delayMs: 5,
    });
    const response = await post('/v1/messages', {
      model: 'claude-x',
      max_tokens: 10,
      stream: true,
      messages: [{ role: 'user', content: `I am ${EMAIL}` }],
    });
    let text = '';
    const types: string[] = [];
    const parser = createSseParser({
      onEvent(sse) {
        const data = JSON.parse(sse.data) as { type: string; delta?: { text?: string } };
        types.push(data.type);
        if (data.type === 'content_block_delta') text += data.delta?.text ?? '';
      },
    });
    parser.push(new Uint8Array(await response.arrayBuffer()));
    parser.end();
    expect(text).toBe(`Hi ${EMAIL}, done.`);
    expect(types.at(-1)).toBe('message_stop');
  });

  it('uses the Azure deployment path, api-version and api-key header', async () => {
    const response = await post('/v1/chat/completions', {
      model: 'prod-4o',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(response.status).toBe(200);
    const sent = mock.received.at(-1)!;
    expect(sent.path).toBe('/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe('azure-secret');
    expect(sent.headers.authorization).toBeUndefined();
  });
});
