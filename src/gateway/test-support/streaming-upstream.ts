import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { expect } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 20 ms until it holds or `limitMs` passed, then asserts it. */
export async function eventually(check: () => boolean, limitMs = 10_000): Promise<void> {
  for (let waited = 0; waited < limitMs && !check(); waited += 20) await sleep(20);
  expect(check()).toBe(true);
}

/** One chat-completion SSE event. */
export function chatChunk(content: string, finish: string | null = null): string {
  const delta = content === '' && finish !== null ? {} : { content };
  return `data: ${JSON.stringify({
    id: 'chatcmpl-stall',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'mock',
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

/** Resolves at the response's next `drain` or `close`, whichever comes first. */
function drainOrClose(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** What the streaming upstream answers. */
export type StreamingUpstreamMode =
  /** Streams until cancelled, honouring backpressure. */
  | { kind: 'endless' }
  /** One short answer after `silentMs` of silence. */
  | { kind: 'silent'; silentMs: number }
  /** A large JSON (non-streamed) answer of about `chars` characters. */
  | { kind: 'whole'; chars: number }
  /** `pieces` short pieces, `gapMs` apart: a slow model. */
  | { kind: 'trickle'; pieces: readonly string[]; gapMs: number };

/** An upstream for tests of callers that read slowly or not at all. */
export interface StreamingUpstream {
  url: string;
  /** Streams whose connection closed before the upstream ended them. */
  cancelled: number;
  /** Bytes the upstream managed to write. */
  written: number;
  mode: StreamingUpstreamMode;
  close(): Promise<void>;
}

/** Starts the streaming upstream on 127.0.0.1, port 0 (`endless` at first). */
export async function startStreamingUpstream(): Promise<StreamingUpstream> {
  const sockets = new Set<Socket>();
  const state: StreamingUpstream = {
    url: '',
    cancelled: 0,
    written: 0,
    mode: { kind: 'endless' },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const piece = 'the quick brown fox jumps over the lazy dog '.repeat(90);
  async function endless(response: ServerResponse): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    // Bounded, so a broken gateway cannot make the test run for ever.
    while (state.written < 256 * 1024 * 1024) {
      if (response.destroyed) break;
      const event = chatChunk(piece);
      state.written += event.length;
      if (!response.write(event)) await drainOrClose(response);
    }
    if (response.destroyed) state.cancelled++;
    else response.end();
  }
  async function silent(response: ServerResponse, silentMs: number): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    await sleep(silentMs);
    response.end(`${chatChunk('thought about it')}${chatChunk('', 'stop')}data: [DONE]\n\n`);
  }
  async function trickle(response: ServerResponse, pieces: readonly string[], gapMs: number): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    for (const text of pieces) {
      await sleep(gapMs);
      if (response.destroyed) {
        state.cancelled++;
        return;
      }
      response.write(chatChunk(text));
    }
    response.end(`${chatChunk('', 'stop')}data: [DONE]\n\n`);
  }
  function whole(response: ServerResponse, chars: number): void {
    const content = 'plain words and nothing else '.repeat(Math.ceil(chars / 29));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: 'chatcmpl-whole',
        object: 'chat.completion',
        created: 1,
        model: 'mock',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
      }),
    );
  }
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { mode } = state;
      if (mode.kind === 'endless') void endless(response);
      else if (mode.kind === 'silent') void silent(response, mode.silentMs);
      else if (mode.kind === 'trickle') void trickle(response, mode.pieces, mode.gapMs);
      else whole(response, mode.chars);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

/** Sends a chat request (streamed by default) over a raw socket, left paused: nothing is read yet. */
export function sendAndNeverRead(
  gatewayUrl: string,
  options: { stream?: boolean; key?: string } = {},
): Socket {
  const { port } = new URL(gatewayUrl);
  const body = JSON.stringify({
    model: 'm',
    stream: options.stream ?? true,
    messages: [{ role: 'user', content: 'tell me' }],
  });
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write(
    'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
      (options.key === undefined ? '' : `authorization: Bearer ${options.key}\r\n`) +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.pause();
  return socket;
}
