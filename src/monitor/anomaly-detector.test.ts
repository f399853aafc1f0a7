import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnomalyAlert, createAnomalyDetector } from './anomaly-detector.js';
import { createWebhookSink } from './webhook-sink.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function webhook(
  status = 200,
): Promise<{ url: string; received: { body: unknown; headers: IncomingMessage['headers'] }[] }> {
  const received: { body: unknown; headers: IncomingMessage['headers'] }[] = [];
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ body: JSON.parse(text), headers: request.headers });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/alerts`, received };
}

const BENIGN = [
  'How do I sort a list in Python?',
  'Write a haiku about autumn leaves.',
  'Explain the difference between TCP and UDP.',
  'What is a good recipe for banana bread?',
  'Summarise the plot of Hamlet in three sentences.',
  'Translate good morning into Spanish.',
  'Why is the sky blue?',
  'Give me five ideas for a birthday party.',
];

describe('anomaly detector', () => {
  it('raises a rate spike against the key baseline and posts it to the webhook', async () => {
    const hook = await webhook();
    let now = START;
    const detector = createAnomalyDetector({ webhookUrl: hook.url, clock: () => now });
    const alerts: AnomalyAlert[] = [];
    // Ten quiet minutes at 10 requests per minute: no alert.
    for (let minute = 0; minute < 10; minute += 1) {
      for (let index = 0; index < 10; index += 1) {
        now = START + minute * 60_000 + index * 5000;
        alerts.push(...detector.observe({ keyId: 'key_a', blocked: false }));
      }
    }
    expect(alerts).toEqual([]);
    // Then 60 requests within one minute.
    for (let index = 0; index < 60; index += 1) {
      now = START + 10 * 60_000 + index * 500;
      alerts.push(...detector.observe({ keyId: 'key_a', blocked: false }));
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'rate-spike', keyId: 'key_a', observed: 31, threshold: 31 });
    await detector.drain();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.body).toMatchObject({ type: 'rate-spike', keyId: 'key_a' });
    expect(hook.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('raises a blocked-rise alert when a key suddenly gets blocked a lot', () => {
    let now = START;
    const detector = createAnomalyDetector({ clock: () => now });
    const alerts: AnomalyAlert[] = [];
    // Baseline: 1 blocked out of 20 per minute.
    for (let minute = 0; minute < 5; minute += 1) {
      for (let index = 0; index < 20; index += 1) {
        now = START + minute * 60_000 + index * 1000;
        alerts.push(...detector.observe({ keyId: 'key_b', blocked: index === 0 }));
      }
    }
    expect(alerts).toEqual([]);
    for (let index = 0; index < 20; index += 1) {
      now = START + 5 * 60_000 + index * 1000;
      alerts.push(...detector.observe({ keyId: 'key_b', blocked: index % 2 === 0 }));
    }
    expect(alerts.map((alert) => alert.type)).toEqual(['blocked-rise']);
    expect(alerts[0]?.observed).toBe(5);
    // Another key is unaffected.
    expect(detector.observe({ keyId: 'key_c', blocked: true })).toEqual([]);
  });

  it('detects extraction-like probing with near-duplicate prompts, not varied or repeated prompts', () => {
    let now = START;
    const detector = createAnomalyDetector({ clock: () => now });
    const types: string[] = [];
    // A normal user: varied prompts, and the same prompt retried many times.
    for (let index = 0; index < 200; index += 1) {
      now += 2000;
      const prompt = index % 2 === 0 ? (BENIGN[(index / 2) % BENIGN.length] ?? '') : 'Why is the sky blue?';
      types.push(...detector.observe({ keyId: 'normal', blocked: false, prompt }).map((alert) => alert.type));
    }
    expect(types).toEqual([]);
    // A prober: one template, one slot varied.
    const cities = [
      'Paris',
      'Berlin',
      'Madrid',
      'Rome',
      'Vienna',
      'Lisbon',
      'Prague',
      'Warsaw',
      'Dublin',
      'Oslo',
    ];
    for (let index = 0; index < 30; index += 1) {
      now += 2000;
      const prompt = `Classify the sentiment of this review and give the probability for each class: "The hotel in ${cities[index % 10]} was ${index} stars"`;
      types.push(...detector.observe({ keyId: 'prober', blocked: false, prompt }).map((alert) => alert.type));
    }
    expect(types).toEqual(['extraction']);
  });

  it('applies a cooldown and is deterministic', () => {
    const run = () => {
      let now = START;
      const detector = createAnomalyDetector({ clock: () => now, cooldownMs: 60_000 });
      const out: string[] = [];
      for (let index = 0; index < 100; index += 1) {
        now += 1000;
        out.push(
          ...detector.observe({ keyId: 'k', blocked: true }).map((alert) => `${alert.type}@${alert.time}`),
        );
      }
      return out;
    };
    const first = run();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThanOrEqual(2);
    expect(run()).toEqual(first);
  });
});

describe('webhook sink', () => {
  it('signs bodies, bounds its queue and survives a failing receiver', async () => {
    const hook = await webhook(500);
    const errors: unknown[] = [];
    const sink = createWebhookSink({
      url: hook.url,
      secret: 's3cret',
      maxQueue: 2,
      onError: (error) => errors.push(error),
    });
    const accepted = [1, 2, 3, 4].map((index) => sink.send({ index }));
    // The first is taken at once; two wait; the fourth does not fit.
    expect(accepted).toEqual([true, true, true, false]);
    await sink.drain();
    expect(sink.stats()).toMatchObject({ delivered: 0, failed: 3, dropped: 1, queued: 0 });
    expect(errors).toHaveLength(3);
    expect(hook.received[0]?.headers['x-aegis-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('times out on a receiver that never answers', async () => {
    server = createServer(() => {
      /* never responds */
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sink = createWebhookSink({ url: `http://127.0.0.1:${port}/`, timeoutMs: 200 });
    sink.send({ hello: 'world' });
    await sink.drain();
    expect(sink.stats().failed).toBe(1);
    server.closeAllConnections();
  });

  it('rejects a bad URL', () => {
    expect(() => createWebhookSink({ url: 'ftp://example/' })).toThrowError(/http or https/);
    expect(() => createWebhookSink({ url: 'nope' })).toThrowError(/not a valid URL/);
  });
});
