import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the mock upstream does for one request. */
export type MockBehavior =
  | { kind: 'echo' }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'json'; body: unknown }
  | { kind: 'stream'; pieces: string[]; delayMs?: number }
  | { kind: 'raw-stream'; events: string[]; delayMs?: number }
  | { kind: 'reset-mid-stream'; pieces: string[] };

/** A request as the mock upstream received it. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A local OpenAI-compatible upstream for tests, driven by a script of behaviours. */
export interface MockUpstream {
  url: string;
  received: ReceivedRequest[];
  /** Behaviours for the next requests, consumed in order; `echo` when empty. */
  script: MockBehavior[];
  /** Streams whose connection closed before the mock finished writing them. */
  readonly abortedStreams: number;
  close(): Promise<void>;
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages)
    ? (body.messages as { role?: string; content?: unknown }[])
    : [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user' && typeof message.content === 'string') return message.content;
  }
  return typeof body.input === 'string' ? body.input : '';
}

function chunk(content: string | null, finish: string | null = null): string {
  const delta = content === null ? {} : { content };
  const data = {
    id: 'chatcmpl-mock',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'mock',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(data)}\n\n`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const counters = { abortedStreams: 0 };

async function writeStream(response: ServerResponse, events: string[], delayMs: number): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const event of events) {
    if (response.destroyed) {
      counters.abortedStreams++;
      return;
    }
    response.write(event);
    if (delayMs > 0) await sleep(delayMs);
  }
  response.end();
}

/** Chat-completion SSE events for content pieces, ending with `finish_reason: stop` and `[DONE]`. */
export function chatStreamEvents(pieces: readonly string[]): string[] {
  return [chunk(''), ...pieces.map((piece) => chunk(piece)), chunk(null, 'stop'), 'data: [DONE]\n\n'];
}

/** Starts the mock upstream on 127.0.0.1, port 0. */
export async function startMockUpstream(): Promise<MockUpstream> {
  const received: ReceivedRequest[] = [];
  const script: MockBehavior[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (data: Buffer) => chunks.push(data));
    request.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = {};
      }
      received.push({ path: request.url ?? '', headers: request.headers, body });
      const behavior = script.shift() ?? { kind: 'echo' };
      void respond(behavior, body, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function respond(
    behavior: MockBehavior,
    body: Record<string, unknown>,
    response: ServerResponse,
  ): Promise<void> {
    switch (behavior.kind) {
      case 'echo': {
        const text = `echo: ${lastUserText(body)}`;
        if (body.stream === true)
          return writeStream(response, chatStreamEvents(text.match(/[\s\S]{1,3}/g) ?? []), 0);
        const reply = {
          id: 'chatcmpl-mock',
          object: 'chat.completion',
          created: 1,
          model: String(body.model),
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
        };
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(reply));
        return;
      }
      case 'status':
        response.writeHead(behavior.status, { 'content-type': 'application/json', ...behavior.headers });
        response.end(JSON.stringify({ error: { message: `mock status ${behavior.status}`, type: 'mock' } }));
        return;
      case 'hang':
        return;
      case 'json':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(behavior.body));
        return;
      case 'stream':
        return writeStream(response, chatStreamEvents(behavior.pieces), behavior.delayMs ?? 0);
      case 'raw-stream':
        return writeStream(response, behavior.events, behavior.delayMs ?? 0);
      case 'reset-mid-stream': {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const event of chatStreamEvents(behavior.pieces).slice(0, -2)) response.write(event);
        await sleep(20);
        response.socket?.destroy();
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    script,
    get abortedStreams() {
      return counters.abortedStreams;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
