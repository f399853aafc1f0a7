import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** Where alerts go. `send` never blocks and never throws. */
export interface AlertSink {
  /** Queues an alert; false when the queue is full and the alert was dropped. */
  send(alert: object): boolean;
  /** Resolves when every queued alert has been delivered or has failed. */
  drain(): Promise<void>;
  stats(): { queued: number; delivered: number; failed: number; dropped: number };
}

/** Options of `createWebhookSink`. */
export interface WebhookSinkOptions {
  /** http(s) URL receiving `POST` requests with a JSON body. */
  url: string;
  /** Per-delivery timeout (headers and body). Default 2000 ms. */
  timeoutMs?: number;
  /** Alerts waiting at most; newer ones are dropped when full. Default 100. */
  maxQueue?: number;
  /** When set, each body is signed: `x-aegis-signature: sha256=<hex HMAC-SHA256 of the body>`. */
  secret?: string;
  onError?: (error: unknown) => void;
}

/**
 * Posts alerts as JSON to a webhook, one at a time, from a bounded queue: a slow or dead receiver costs
 * at most `maxQueue` alerts of memory and never delays a request.
 */
export function createWebhookSink(options: WebhookSinkOptions): AlertSink {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (cause) {
    throw new AegisError(ERROR_CODES.CONFIG_INVALID, 'the alert webhook URL is not a valid URL', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AegisError(ERROR_CODES.CONFIG_INVALID, 'the alert webhook URL must use http or https');
  }
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxQueue = options.maxQueue ?? 100;
  const queue: string[] = [];
  const counters = { delivered: 0, failed: 0, dropped: 0 };
  let running: Promise<void> | undefined;

  async function deliver(body: string): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'aegis-alerts',
    };
    if (options.secret !== undefined) {
      headers['x-aegis-signature'] =
        `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
    }
    const response = await request(url, {
      method: 'POST',
      body,
      headers,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new AegisError(ERROR_CODES.IO_ERROR, `alert webhook answered HTTP ${response.statusCode}`);
    }
  }

  async function run(): Promise<void> {
    for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
      try {
        await deliver(body);
        counters.delivered += 1;
      } catch (error) {
        counters.failed += 1;
        options.onError?.(error);
      }
    }
    running = undefined;
  }

  return {
    send(alert) {
      if (queue.length >= maxQueue) {
        counters.dropped += 1;
        return false;
      }
      queue.push(JSON.stringify(alert));
      running ??= run();
      return true;
    },
    async drain() {
      while (running !== undefined) await running;
    },
    stats() {
      return { queued: queue.length, ...counters };
    },
  };
}
