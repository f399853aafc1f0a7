import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { twoProviderUpstreams } from '../test-support/two-provider-upstreams.js';

const KEY = 'sk-abcdefghijklmnopqrstuvwxyz012345';
const EMAIL = 'ann.lee@example.com';

// An upstream can end a chat stream with an error event. Its message is upstream text like any other
// (providers quote the request or the answer in it): it is checked and restored, never passed on raw.
describe('an upstream error event in a chat stream', () => {
  let mock: MockUpstream;
  let test: TestGateway;
  beforeAll(async () => {
    mock = await startMockUpstream();
    test = await startTestGateway({
      upstreams: [{ name: 'mock', provider: 'openai', baseUrl: mock.url, retries: 0 }],
    });
  });
  afterAll(async () => {
    await test.close();
    await mock.close();
  });

  it('reaches the caller with its message checked and placeholders restored', async () => {
    const error = {
      error: {
        message: `failed for <EMAIL_ADDRESS_1> while writing ${KEY}`,
        type: 'server_error',
        code: 'internal',
        param: null,
        internal_trace: `trace ${KEY}`,
      },
    };
    mock.script.push({
      kind: 'raw-stream',
      events: [`event: error\ndata: ${JSON.stringify(error)}\n\n`, 'data: [DONE]\n\n'],
    });
    const response = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        stream: true,
        messages: [{ role: 'user', content: `I am ${EMAIL}` }],
      }),
    });
    const text = await response.text();
    expect(text).not.toContain(KEY);
    expect(text).toContain('event: error');
    expect(text).toContain(EMAIL);
    expect(text).toContain('"code":"internal"');
  });
});

// The same for Anthropic and Responses streams, with the built-in detectors (AWS access keys) as the
// gateway runs by default.
describe('an upstream error in an Anthropic or Responses stream', () => {
  const AWS_KEY = 'AKIAQ7H3K9L2M4N6P8R2';
  let mock: MockUpstream;
  let test: TestGateway;
  beforeAll(async () => {
    mock = await startMockUpstream();
    test = await startTestGateway(
      {
        upstreams: twoProviderUpstreams(mock),
      },
      { guard: createGuard({ policy: 'balanced' }) },
    );
  });
  afterAll(async () => {
    await test.close();
    await mock.close();
  });

  const stream = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const response = await fetch(`${test.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    return response.text();
  };

  it('Anthropic: the error message is checked and restored, only the error type kept', async () => {
    const error = {
      type: 'error',
      error: { type: 'overloaded_error', message: `overloaded for <EMAIL_ADDRESS_1> with ${AWS_KEY}` },
    };
    mock.script.push({
      kind: 'raw-stream',
      events: [
        `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', content: [] } })}\n\n`,
        `event: error\ndata: ${JSON.stringify(error)}\n\n`,
      ],
    });
    const text = await stream('/v1/messages', {
      model: 'claude',
      max_tokens: 10,
      messages: [{ role: 'user', content: `I am ${EMAIL}` }],
    });
    expect(text).not.toContain(AWS_KEY);
    expect(text).not.toContain('<EMAIL_ADDRESS_1>');
    expect(text).toContain('event: error');
    expect(text).toContain(`overloaded for ${EMAIL} with [REDACTED:`);
    expect(text).toContain('"type":"overloaded_error"');
  });

  it('Responses: the error event and a failed response are checked and restored', async () => {
    const failed = {
      type: 'response.failed',
      sequence_number: 1,
      response: { id: 'r', status: 'failed', output: [], error: { code: 'server_error', message: AWS_KEY } },
    };
    const error = {
      type: 'error',
      sequence_number: 2,
      code: 'server_error',
      message: `for <EMAIL_ADDRESS_1> ${AWS_KEY}`,
    };
    mock.script.push({
      kind: 'raw-stream',
      events: [
        `event: error\ndata: ${JSON.stringify(error)}\n\n`,
        `event: response.failed\ndata: ${JSON.stringify(failed)}\n\n`,
      ],
    });
    const text = await stream('/v1/responses', { model: 'gpt', input: `I am ${EMAIL}` });
    expect(text).not.toContain(AWS_KEY);
    expect(text).not.toContain('<EMAIL_ADDRESS_1>');
    expect(text).toContain(`for ${EMAIL} [REDACTED:`);
    expect(text).toContain('event: response.failed');
  });
});
