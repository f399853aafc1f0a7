import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { backoffDelay } from './backoff-delay.js';
import { createCircuitBreaker } from './circuit-breaker.js';

const message = [{ role: 'user' as const, content: 'hello' }];

describe('routing: retries, fallback, timeouts, circuit breaker', () => {
  let primary: MockUpstream;
  let secondary: MockUpstream;
  let test: TestGateway;
  let client: OpenAI;
  const failures: { upstream: string; code: string }[] = [];

  beforeAll(async () => {
    primary = await startMockUpstream();
    secondary = await startMockUpstream();
    test = await startTestGateway(
      {
        upstreams: [
          {
            name: 'primary',
            provider: 'openai',
            baseUrl: primary.url,
            models: ['gpt-a'],
            retries: 1,
            timeoutMs: 300,
          },
          {
            name: 'secondary',
            provider: 'vllm',
            baseUrl: secondary.url,
            models: ['gpt-b'],
            retries: 0,
            timeoutMs: 2000,
          },
        ],
        aliases: { smart: ['primary/gpt-a', 'secondary/gpt-b'] },
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
      },
      { monitor: { observe: () => {}, upstreamFailure: (info) => failures.push(info) } },
    );
    client = new OpenAI({ baseURL: `${test.url}/v1`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => {
    await test.close();
    await primary.close();
    await secondary.close();
  });

  it('retries a 500 and a 429 on the same upstream', async () => {
    primary.script.push({ kind: 'status', status: 500 });
    const before = primary.received.length;
    const reply = await client.chat.completions.create({ model: 'gpt-a', messages: message });
    expect(reply.choices[0]?.message.content).toBe('echo: hello');
    expect(primary.received.length - before).toBe(2);
    primary.script.push({ kind: 'status', status: 429, headers: { 'retry-after': '0' } });
    expect(
      (await client.chat.completions.create({ model: 'gpt-a', messages: message })).choices,
    ).toHaveLength(1);
  });

  it('answers 429 with the upstream Retry-After when the upstream keeps limiting the gateway', async () => {
    // retries: 1, so two attempts; the second answer's Retry-After is passed on.
    primary.script.push(
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { kind: 'status', status: 429, headers: { 'retry-after': '7' } },
    );
    const answer = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-a', messages: message }),
    });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    const body = (await answer.json()) as { error: { code: string; type: string } };
    expect(body.error).toMatchObject({ code: 'AEGIS_UPSTREAM_RATE_LIMITED', type: 'rate_limit_error' });
  });

  it('falls back along an alias chain after a timeout, renaming the model', async () => {
    primary.script.push({ kind: 'hang' }, { kind: 'hang' });
    const reply = await client.chat.completions.create({ model: 'smart', messages: message });
    expect(reply.choices[0]?.message.content).toBe('echo: hello');
    expect(secondary.received.at(-1)?.body.model).toBe('gpt-b');
  });

  it('ends a stream cleanly when the upstream resets mid-stream', async () => {
    primary.script.push({
      kind: 'reset-mid-stream',
      pieces: ['par', 'tial ', 'answer ', 'that ', 'is ', 'cut'],
    });
    const stream = await client.chat.completions.create({ model: 'gpt-a', stream: true, messages: message });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect('partial answer that is cut'.startsWith(text)).toBe(true);
    expect((await fetch(`${test.url}/healthz`)).status).toBe(200);
  });

  it('streams a slow upstream through', async () => {
    primary.script.push({ kind: 'stream', pieces: ['slow ', 'but ', 'steady ', 'answer'], delayMs: 30 });
    const stream = await client.chat.completions.create({ model: 'gpt-a', stream: true, messages: message });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('slow but steady answer');
  });

  it('opens the circuit after repeated failures and then fails fast', async () => {
    for (let index = 0; index < 4; index++) primary.script.push({ kind: 'status', status: 503 });
    const first = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-a', messages: message }),
    });
    expect(first.status).toBe(502);
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe('AEGIS_UPSTREAM_ERROR');
    const second = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-a', messages: message }),
    });
    const before = primary.received.length;
    const third = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-a', messages: message }),
    });
    expect([502, 503]).toContain(second.status);
    expect(third.status).toBe(503);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('AEGIS_CIRCUIT_OPEN');
    expect(primary.received.length).toBe(before);
    // Refusals of an open circuit count as upstream errors in the metrics (reason AEGIS_CIRCUIT_OPEN).
    expect(failures.at(-1)).toEqual({ upstream: 'primary', code: 'AEGIS_CIRCUIT_OPEN' });
    const ready = (await (await fetch(`${test.url}/readyz`)).json()) as {
      upstreams: { name: string; circuit: string }[];
    };
    expect(ready.upstreams.find((upstream) => upstream.name === 'primary')?.circuit).toBe('open');
  });

  it('answers 404 for a model no upstream serves', async () => {
    const response = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'unknown-model', messages: message }),
    });
    expect(response.status).toBe(404);
  });
});

describe('circuit breaker and backoff', () => {
  it('goes closed → open → half-open (one probe) → closed', () => {
    let now = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 2, cooldownMs: 100, clock: () => now });
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.allow()).toBe(false);
    now = 150;
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('closed');
  });

  it('backs off exponentially with jitter and honours Retry-After within the cap', () => {
    expect(backoffDelay({ attempt: 3, baseDelayMs: 100, maxDelayMs: 10_000, random: () => 1 })).toBe(800);
    expect(backoffDelay({ attempt: 3, baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0 })).toBe(400);
    expect(backoffDelay({ attempt: 9, baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 })).toBe(1000);
    expect(backoffDelay({ attempt: 0, baseDelayMs: 100, maxDelayMs: 5000, retryAfter: '2' })).toBe(2000);
  });
});
