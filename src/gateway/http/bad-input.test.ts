import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

interface Answer {
  status: number;
  body: { error?: { code?: string; message?: string } };
}

async function post(url: string, body: string, contentType = 'application/json'): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** Sends a body of `size` bytes as a chunked stream (no content-length) and resolves with the status or the socket error. */
function postChunked(url: string, size: number): Promise<number | string> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(65_536, 0x61);
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent >= size) return this.push(null);
        sent += chunk.length;
        this.push(chunk);
      },
    });
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    source.pipe(request);
  });
}

describe('hostile and malformed input', () => {
  let test: TestGateway;
  let chat: string;
  beforeAll(async () => {
    test = await startTestGateway();
    chat = `${test.url}/v1/chat/completions`;
  });
  afterAll(() => test.close());

  it('rejects malformed JSON without echoing it', async () => {
    const answer = await post(
      chat,
      '{"model":"m","messages":[{"role":"user","content":"sk-secret-value-123456789012345"',
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('AEGIS_JSON_MALFORMED');
    expect(JSON.stringify(answer.body)).not.toContain('sk-secret');
  });

  it('rejects the wrong content type, non-object JSON, missing fields and invalid UTF-8', async () => {
    expect((await post(chat, 'hello', 'text/plain')).body.error?.code).toBe('AEGIS_UNSUPPORTED_MEDIA_TYPE');
    expect((await post(chat, '[1,2]')).body.error?.code).toBe('AEGIS_BAD_REQUEST');
    expect((await post(chat, '{"model":"m"}')).body.error?.code).toBe('AEGIS_BAD_REQUEST');
    expect((await post(chat, '{"model":"m","messages":[{"role":"wizard","content":"x"}]}')).status).toBe(400);
    const invalid = await fetch(chat, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expect(((await invalid.json()) as Answer['body']).error?.code).toBe('AEGIS_INVALID_UTF8');
  });

  it('rejects deeply nested JSON before parsing it', async () => {
    const deep = `{"model":"m","messages":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const answer = await post(chat, deep);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('AEGIS_JSON_TOO_DEEP');
  });

  it('rejects a 50 MB body early, by content-length and when chunked, and stays up', async () => {
    const declared = await new Promise<number | string>((resolve) => {
      const request = httpRequest(
        chat,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': 50 * 1024 * 1024 },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      request.write(Buffer.alloc(1024, 0x61));
    });
    expect(declared).toBe(413);
    const heapBefore = process.memoryUsage().heapUsed;
    const chunked = await postChunked(chat, 50 * 1024 * 1024);
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(chunked);
    // The gateway buffered at most the 1 MB limit, not the 50 MB sent.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(30 * 1024 * 1024);
    expect((await fetch(`${test.url}/healthz`)).status).toBe(200);
  });

  it('closes the connection when it refuses a request before reading its body', async () => {
    // A caller without a key or with the wrong content type must not make the gateway read (and discard)
    // an upload of any size: the answer goes out and the connection closes, as for an oversized body.
    const { port } = new URL(test.url);
    for (const contentType of ['text/plain', 'application/json']) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => {
          text += chunk;
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve(`closed ${text.split('\r\n')[0]}`));
        const path = contentType === 'text/plain' ? '/v1/chat/completions' : '/v1/nothing';
        socket.write(
          `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: ${contentType}\r\ncontent-length: 1000000\r\n\r\n{"a":"`,
        );
        // Generous: the close comes at once, but a loaded CI machine can be slow to deliver it.
        setTimeout(() => {
          resolve(`open ${text.split('\r\n')[0]}`);
          socket.destroy();
        }, 10_000);
      });
      expect(outcome).toMatch(/^closed HTTP\/1\.1 4(15|04) /);
    }
  });

  it('answers unknown routes and wrong methods with stable codes', async () => {
    const unknown = await fetch(`${test.url}/v1/nothing`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Answer['body']).error?.code).toBe('AEGIS_ROUTE_NOT_FOUND');
    const wrongMethod = await fetch(chat);
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as Answer['body']).error?.code).toBe('AEGIS_METHOD_NOT_ALLOWED');
    expect((await fetch(`${test.url}/readyz`)).status).toBe(200);
  });

  it('keeps a valid caller request id and replaces an invalid one', async () => {
    const kept = await fetch(`${test.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    // The marker word holds letters a hex id never has (`bad` alone once matched a random UUID).
    const replaced = await fetch(`${test.url}/healthz`, {
      headers: { 'x-request-id': 'invalid id\twith spaces' },
    });
    expect(replaced.headers.get('x-request-id')).not.toContain('invalid');
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
