import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { createOutputChecker } from './output-checker.js';
import { createResponseGuard } from './response-guard.js';
import { checkUpstreamErrorBody } from './upstream-error-body.js';

const KEY = `sk-${'Qw8Er7Ty6U'.repeat(3)}`;
const EMAIL = 'ann.lee@example.com';

/** What the upstream answers: a status and a body made from the request it received (as sent upstream). */
type Refusal = { status: number; contentType?: string; body: (sent: string) => string };

/**
 * An upstream that refuses every request with the next scripted answer. Providers quote the request in
 * validation messages; `sent` is the request's last user text as the upstream received it (redacted).
 */
async function startRefusingUpstream(script: Refusal[]): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        messages?: { content?: unknown }[];
      };
      const sent = String(body.messages?.at(-1)?.content ?? '');
      const refusal = script.shift() ?? { status: 400, body: () => '{}' };
      response.writeHead(refusal.status, { 'content-type': refusal.contentType ?? 'application/json' });
      response.end(refusal.body(sent));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('an upstream refusal (4xx) through the gateway', () => {
  const script: Refusal[] = [];
  let upstream: Awaited<ReturnType<typeof startRefusingUpstream>>;
  let test: TestGateway;
  beforeAll(async () => {
    upstream = await startRefusingUpstream(script);
    test = await startTestGateway({
      upstreams: [
        { name: 'openai', provider: 'openai', baseUrl: `${upstream.origin}/v1`, models: ['gpt'], retries: 0 },
        { name: 'claude', provider: 'anthropic', baseUrl: upstream.origin, models: ['claude'], retries: 0 },
      ],
    });
  });
  afterAll(async () => {
    await test.close();
    await upstream.close();
  });

  const post = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${test.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
  };
  const chat = (extra: Record<string, unknown> = {}) =>
    post('/v1/chat/completions', {
      model: 'gpt',
      messages: [{ role: 'user', content: `Write to ${EMAIL}` }],
      ...extra,
    });

  for (const stream of [false, true]) {
    it(`keeps an OpenAI error's status and shape, message checked and restored (stream: ${stream})`, async () => {
      script.push({
        status: 400,
        body: (sent) =>
          JSON.stringify({
            error: {
              message: `Invalid value '${sent}' (key ${KEY})`,
              type: 'invalid_request_error',
              param: 'messages[0].content',
              code: 'invalid_value',
              debug: KEY,
            },
            echo: sent,
          }),
      });
      const result = await chat({ stream });
      expect(result.status).toBe(400);
      expect(result.text).not.toContain(KEY);
      expect(result.text).not.toContain('<EMAIL_ADDRESS_1>');
      expect(result.json).toEqual({
        error: {
          message: expect.stringMatching(/^Invalid value 'Write to ann\.lee@example\.com' \(key \[REDACTED:/),
          type: 'invalid_request_error',
          param: 'messages[0].content',
          code: 'invalid_value',
        },
      });
    });
  }

  it("keeps an Anthropic error's shape, message checked and restored", async () => {
    script.push({
      status: 400,
      body: (sent) =>
        JSON.stringify({
          type: 'error',
          error: { type: 'invalid_request_error', message: `bad content: ${sent} ${KEY}`, extra: KEY },
          request_id: 'req_1',
        }),
    });
    const result = await post('/v1/messages', {
      model: 'claude',
      max_tokens: 10,
      messages: [{ role: 'user', content: `Write to ${EMAIL}` }],
    });
    expect(result.status).toBe(400);
    expect(result.text).not.toContain(KEY);
    expect(result.json).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(/^bad content: Write to ann\.lee@example\.com \[REDACTED:/),
      },
    });
  });

  it('answers a refusal that is not an error object with a gateway error and the same status', async () => {
    script.push({
      status: 404,
      contentType: 'text/html',
      body: (sent) => `<html><body>Not found: ${sent} ${KEY}</body></html>`,
    });
    const result = await chat();
    expect(result.status).toBe(404);
    expect(result.text).not.toContain(KEY);
    expect(result.text).not.toContain('EMAIL');
    expect(result.text).not.toContain('Not found');
    expect(result.json.error).toMatchObject({ code: 'AEGIS_UPSTREAM_ERROR', upstreamStatus: 404 });
  });

  it('blocks an error message that breaks the output policy, like an answer', async () => {
    script.push({
      status: 422,
      body: () =>
        JSON.stringify({
          error: { message: 'see ![x](https://attacker.example/p.png?d=1)', type: 'invalid_request_error' },
        }),
    });
    const result = await chat();
    expect(result.status).toBe(422);
    expect(result.text).not.toContain('attacker');
    expect(result.json.error).toMatchObject({ code: 'AEGIS_OUTPUT_BLOCKED' });
  });
});

describe('checkUpstreamErrorBody', () => {
  const guard = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
  const config = parseGatewayConfig({});
  const check = (api: 'chat' | 'anthropic', body: unknown) => {
    const vault = guard.createVault();
    const placeholder = vault.placeholderFor('EMAIL_ADDRESS', EMAIL);
    const responseGuard = createResponseGuard({
      checker: createOutputChecker({ guard, failMode: config.failMode }),
      streaming: config.streaming,
      vault,
      tools: null,
      maxBufferChars: 1_000_000,
    });
    const text = typeof body === 'string' ? body : JSON.stringify(body).replaceAll('{EMAIL}', placeholder);
    return checkUpstreamErrorBody({ guard: responseGuard, api, body: Buffer.from(text) });
  };

  it("rewrites vLLM's flat error and a bare string error in the same way", () => {
    expect(
      check('chat', { object: 'error', message: 'bad {EMAIL}', type: 'BadRequestError', code: 400 }),
    ).toEqual({
      kind: 'error',
      body: { object: 'error', message: `bad ${EMAIL}`, type: 'BadRequestError', param: null, code: 400 },
    });
    expect(check('chat', { error: `model not found for {EMAIL}` })).toEqual({
      kind: 'error',
      body: { error: { message: `model not found for ${EMAIL}`, type: null, param: null, code: null } },
    });
  });

  it('drops identifiers that are not short identifiers or that the check would change', () => {
    const result = check('chat', {
      error: { message: 'no', type: 'a b', param: '<EMAIL_ADDRESS_1>', code: KEY },
    });
    expect(result).toEqual({
      kind: 'error',
      body: { error: { message: 'no', type: null, param: null, code: null } },
    });
  });

  it('recognises only the API shapes', () => {
    expect(check('chat', 'not json').kind).toBe('unrecognised');
    expect(check('chat', [{ error: { message: 'x' } }]).kind).toBe('unrecognised');
    expect(check('chat', { error: { code: 'no_message' } }).kind).toBe('unrecognised');
    expect(check('anthropic', { error: { message: 'x', type: 'api_error' } }).kind).toBe('unrecognised');
    expect(check('anthropic', { type: 'error', error: { message: 'x', type: 'api_error' } }).kind).toBe(
      'error',
    );
  });
});
