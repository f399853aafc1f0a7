import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes raw bytes to the gateway and reads until the server closes the connection. */
function raw(url: string, bytes: string): Promise<RawAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(bytes);
  });
}

// Requests that Node's HTTP parser refuses or that time out never reach the gateway's handler; they
// still get the gateway's error shape, a stable code and a request id.
describe('requests refused before they reach the gateway', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway({ limits: { requestTimeoutMs: 300 } });
  });
  afterAll(() => test.close());

  it('answers a malformed request with an OpenAI-shaped 400', async () => {
    const answer = await raw(test.url, 'GET /healthz HTTP/1.1\r\nhost: x\r\nbad header line\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(answer.body).error.code).toBe('AEGIS_BAD_REQUEST');
  });

  it('answers oversized headers with 431', async () => {
    const answer = await raw(
      test.url,
      `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body).error.code).toBe('AEGIS_BAD_REQUEST');
  });

  // Node sweeps for timed-out requests every 30 s by default; the gateway sweeps often enough that
  // these tests end within Vitest's 5 s limit.
  it('cuts off a slow sender after requestTimeoutMs with 408 (slowloris)', async () => {
    const answer = await raw(test.url, 'GET /healthz HTTP/1.1\r\nhost: x\r\n');
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).error.code).toBe('AEGIS_TIMEOUT');
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('cuts off a body that stalls with 408, and stays up', async () => {
    const answer = await raw(
      test.url,
      'POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"model"',
    );
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).error.code).toBe('AEGIS_TIMEOUT');
    expect((await fetch(`${test.url}/healthz`)).status).toBe(200);
  });
});
