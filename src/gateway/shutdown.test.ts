import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayAudit } from './gateway-hooks.js';
import { type MockUpstream, startMockUpstream } from './test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from './test-support/start-test-gateway.js';

interface Recorded {
  status: number;
  errorCode: string | null;
}

// SIGTERM lets requests in flight finish for `shutdownGraceMs`. Those still running after it must end
// the way a failed request ends — an SSE `error` event, a JSON error — not as a cut connection the
// caller cannot tell from a network fault, and the audit log must not record them as complete.
describe('requests still running when the shutdown grace ends', () => {
  let mock: MockUpstream;
  let test: TestGateway;
  const records: Recorded[] = [];
  const audit: GatewayAudit = {
    append: (record) => {
      records.push({ status: record.status as number, errorCode: record.errorCode as string | null });
      return { id: String(records.length) };
    },
    flush: () => {},
    close: () => {},
  };
  beforeAll(async () => {
    mock = await startMockUpstream();
    test = await startTestGateway(
      {
        upstreams: [{ name: 'mock', provider: 'openai', baseUrl: mock.url, retries: 0 }],
        shutdownGraceMs: 300,
      },
      { audit },
    );
  });
  afterAll(() => mock.close());

  it('end with an error event or a 503, recorded as such', async () => {
    mock.script.push({
      kind: 'stream',
      pieces: Array.from({ length: 400 }, (_, index) => `w${index} `),
      delayMs: 20,
    });
    const streamed = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'count' }] }),
    });
    expect(streamed.status).toBe(200);
    const streamText = streamed.text();
    mock.script.push({ kind: 'hang' });
    const whole = fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'wait' }] }),
    });
    for (let waited = 0; waited < 2000 && mock.received.length < 2; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await test.close();

    const text = await streamText;
    expect(text).toMatch(/event: error\ndata: \{"error":\{[^\n]*"code":"AEGIS_SHUTTING_DOWN"/);
    const answer = await whole;
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('AEGIS_SHUTTING_DOWN');
    expect(records).toHaveLength(2);
    for (const record of records) expect(record.errorCode).toBe('AEGIS_SHUTTING_DOWN');
  });
});
