import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

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
