import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { type AuditLog, createAuditLog } from '../../store/audit-log.js';
import { type Database, openDatabase } from '../../store/open-database.js';
import { createSseParser } from '../streaming/sse-parser.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

// Personalisation and retrieval apps put the user's profile in the system prompt. Its PII must leave as
// placeholders on every API (chat system/developer messages and parts, Responses `instructions` and
// system/developer items, Anthropic `system` as a string or blocks), come back as originals in the answer
// (whole and streamed, and in the `instructions` a Responses answer repeats), and never reach the audit
// log's redacted payload. Real gateway, real mock upstream, real SQLite audit log, built-in detectors.

const PREAMBLE = 'You are the support assistant of Northwind Bank. Be brief and polite.';
const PROFILE = `${PREAMBLE} The customer is Jane Doe, e-mail jane.doe@example.com, phone +44 20 7946 0958, IBAN GB82 WEST 1234 5698 7654 32.`;
/** The profile as the upstream must receive it (placeholders numbered in the order of the request). */
const SENT = `${PREAMBLE} The customer is <PERSON_1>, e-mail <EMAIL_ADDRESS_1>, phone <PHONE_NUMBER_1>, IBAN <IBAN_CODE_1>.`;
const RAW_VALUES = ['Jane Doe', 'jane.doe@example.com', '+44 20 7946 0958', 'GB82 WEST 1234 5698 7654 32'];
/** The model's answer, written with the placeholders it saw. */
const ANSWER = 'Dear <PERSON_1>, we have <PHONE_NUMBER_1> and <EMAIL_ADDRESS_1> on file.';
const RESTORED = 'Dear Jane Doe, we have +44 20 7946 0958 and jane.doe@example.com on file.';
const QUESTION = 'Which phone number do you have on file for me?';

/** Pieces that split placeholders, as a real stream does. */
const ANSWER_PIECES = [
  'Dear <PERS',
  'ON_1>, we have <PHONE_NUM',
  'BER_1> and <EMAIL_ADDRESS_1',
  '> on file.',
];

function sseEvents(text: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const parser = createSseParser({
    onEvent: (event) => {
      if (event.data !== '[DONE]') events.push(JSON.parse(event.data) as Record<string, unknown>);
    },
  });
  parser.push(Buffer.from(text));
  parser.end();
  return events;
}

function responsesStream(instructions: string): string[] {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: sequence++ })}\n\n`;
  const message = (text: string) => ({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  });
  const at = { item_id: 'msg_1', output_index: 0, content_index: 0 };
  return [
    event('response.created', {
      response: { id: 'resp_1', status: 'in_progress', instructions, output: [] },
    }),
    event('response.output_item.added', { output_index: 0, item: { ...message(''), content: [] } }),
    event('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } }),
    ...ANSWER_PIECES.map((delta) => event('response.output_text.delta', { ...at, delta })),
    event('response.output_text.done', { ...at, text: ANSWER }),
    event('response.content_part.done', {
      ...at,
      part: { type: 'output_text', text: ANSWER, annotations: [] },
    }),
    event('response.output_item.done', { output_index: 0, item: message(ANSWER) }),
    event('response.completed', {
      response: { id: 'resp_1', status: 'completed', instructions, output: [message(ANSWER)] },
    }),
  ];
}

function anthropicStream(): string[] {
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    event('message_start', { message: { id: 'msg_1', role: 'assistant', content: [] } }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...ANSWER_PIECES.map((text) =>
      event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
    ),
    event('content_block_stop', { index: 0 }),
    event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 20 } }),
    event('message_stop', {}),
  ];
}

interface Setup {
  mock: MockUpstream;
  test: TestGateway;
  audit: AuditLog;
  database: Database;
  dataDir: string;
}

async function setUp(policy?: Record<string, unknown>): Promise<Setup> {
  const mock = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-system-pii-'));
  const database = openDatabase({ dataDir });
  const audit = createAuditLog({ database, writer: 'thread', payloads: 'redacted' });
  const test = await startTestGateway(
    {
      upstreams: [
        {
          name: 'claude',
          provider: 'anthropic',
          baseUrl: mock.url.replace(/\/v1$/, ''),
          models: ['claude'],
          retries: 0,
        },
        { name: 'openai', provider: 'openai', baseUrl: mock.url, models: ['gpt'], retries: 0 },
      ],
      audit: { payloads: 'redacted' },
    },
    { guard: createGuard({ policy: policy ?? 'balanced' }), audit },
  );
  return { mock, test, audit, database, dataDir };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.test.close();
  await setup.mock.close();
  setup.audit.close();
  setup.database.close();
  rmSync(setup.dataDir, { recursive: true, force: true });
}

/** The body of the last request the mock upstream received. */
function lastBody<T>(setup: Setup): T {
  const last = setup.mock.received.at(-1);
  if (last === undefined) throw new Error('the upstream received no request');
  return last.body as T;
}

async function post(setup: Setup, path: string, body: unknown) {
  const response = await fetch(`${setup.test.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    text: await response.text(),
  };
}

/** The audit record of a request, once the gateway has booked it (it does so after the answer ends). */
async function auditRecord(setup: Setup, requestId: string | null): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 200; attempt++) {
    setup.audit.flush();
    const record = setup.audit.tail(50).find((entry) => entry.requestId === requestId);
    if (record !== undefined) return record as unknown as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no audit record for ${requestId}`);
}

/** The received request body and the audit payload carry placeholders, never the profile's values. */
async function expectNoRawValues(setup: Setup, requestId: string | null): Promise<void> {
  const upstream = JSON.stringify(lastBody<unknown>(setup));
  const record = await auditRecord(setup, requestId);
  const payload = JSON.stringify(record.payload);
  expect(payload).toContain('<EMAIL_ADDRESS_1>');
  for (const value of RAW_VALUES) {
    expect(upstream).not.toContain(value);
    expect(payload).not.toContain(value);
    expect(JSON.stringify(record)).not.toContain(value);
  }
  const input = record.input as { action: string; findings: { role?: string; type: string }[] };
  expect(input.action).toBe('redact');
  expect(
    input.findings.some((finding) => finding.role === 'system' && finding.type === 'EMAIL_ADDRESS'),
  ).toBe(true);
}

describe('PII in system prompts through the gateway (balanced)', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp();
  });
  afterAll(() => tearDown(setup));

  const chatBody = (stream: boolean) => ({
    model: 'gpt',
    stream,
    messages: [
      { role: 'system', content: PROFILE },
      { role: 'developer', content: [{ type: 'text', text: 'Escalate fraud to ops.lead@example.com.' }] },
      { role: 'user', content: QUESTION },
    ],
  });

  it('chat: system and developer messages leave redacted; the answer shows the originals', async () => {
    setup.mock.script.push({
      kind: 'json',
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt',
        choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
      },
    });
    const reply = await post(setup, '/v1/chat/completions', chatBody(false));
    expect(reply.status).toBe(200);
    const sent = lastBody<{ messages: { content: unknown }[] }>(setup);
    expect(sent.messages[0]?.content).toBe(SENT);
    expect(sent.messages[1]?.content).toEqual([
      { type: 'text', text: 'Escalate fraud to <EMAIL_ADDRESS_2>.' },
    ]);
    expect(sent.messages[2]?.content).toBe(QUESTION);
    const answer = JSON.parse(reply.text) as { choices: { message: { content: string } }[] };
    expect(answer.choices[0]?.message.content).toBe(RESTORED);
    await expectNoRawValues(setup, reply.requestId);
  });

  it('chat: a streamed answer shows the originals, placeholders split across chunks included', async () => {
    setup.mock.script.push({ kind: 'stream', pieces: ANSWER_PIECES });
    const reply = await post(setup, '/v1/chat/completions', chatBody(true));
    expect(reply.status).toBe(200);
    expect(lastBody<{ messages: { content: unknown }[] }>(setup).messages[0]?.content).toBe(SENT);
    const text = sseEvents(reply.text)
      .map(
        (event) =>
          (event as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '',
      )
      .join('');
    expect(text).toBe(RESTORED);
    await expectNoRawValues(setup, reply.requestId);
  });

  const responsesBody = (stream: boolean) => ({
    model: 'gpt',
    stream,
    instructions: PROFILE,
    input: [
      {
        role: 'developer',
        content: [{ type: 'input_text', text: 'Escalate fraud to ops.lead@example.com.' }],
      },
      { role: 'system', content: 'Her account manager is reachable at +1 415 555 0100.' },
      { role: 'user', content: QUESTION },
    ],
  });

  const expectResponsesSent = () => {
    const sent = lastBody<{ instructions: string; input: { content: unknown }[] }>(setup);
    expect(sent.instructions).toBe(SENT);
    expect(sent.input[0]?.content).toEqual([
      { type: 'input_text', text: 'Escalate fraud to <EMAIL_ADDRESS_2>.' },
    ]);
    expect(sent.input[1]?.content).toBe('Her account manager is reachable at <PHONE_NUMBER_2>.');
    return sent;
  };

  it('responses: instructions and system/developer items leave redacted; the echo and answer show originals', async () => {
    setup.mock.script.push({
      kind: 'json',
      body: {
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        // The Responses API repeats the instructions it was sent.
        instructions: SENT,
        output: [
          {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: ANSWER, annotations: [] }],
          },
        ],
      },
    });
    const reply = await post(setup, '/v1/responses', responsesBody(false));
    expect(reply.status).toBe(200);
    expectResponsesSent();
    const answer = JSON.parse(reply.text) as {
      instructions: string;
      output: { content: { text: string }[] }[];
    };
    expect(answer.instructions).toBe(PROFILE);
    expect(answer.output[0]?.content[0]?.text).toBe(RESTORED);
    await expectNoRawValues(setup, reply.requestId);
  });

  it('responses: a streamed answer and the instructions its snapshots repeat show the originals', async () => {
    setup.mock.script.push({ kind: 'raw-stream', events: responsesStream(SENT) });
    const reply = await post(setup, '/v1/responses', responsesBody(true));
    expect(reply.status).toBe(200);
    expectResponsesSent();
    const events = sseEvents(reply.text) as {
      type: string;
      delta?: string;
      text?: string;
      response?: { instructions?: string };
    }[];
    const snapshots = events.filter((event) => event.response !== undefined);
    expect(snapshots.map((event) => event.type)).toEqual(['response.created', 'response.completed']);
    for (const event of snapshots) expect(event.response?.instructions).toBe(PROFILE);
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.map((event) => event.delta).join('')).toBe(RESTORED);
    expect(events.find((event) => event.type === 'response.output_text.done')?.text).toBe(RESTORED);
    expect(reply.text).not.toContain('<EMAIL_ADDRESS_1>');
    await expectNoRawValues(setup, reply.requestId);
  });

  it('anthropic: a string system prompt leaves redacted; the answer shows the originals', async () => {
    setup.mock.script.push({
      kind: 'json',
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [{ type: 'text', text: ANSWER }],
        stop_reason: 'end_turn',
      },
    });
    const reply = await post(setup, '/v1/messages', {
      model: 'claude',
      max_tokens: 100,
      system: PROFILE,
      messages: [{ role: 'user', content: QUESTION }],
    });
    expect(reply.status).toBe(200);
    expect(lastBody<{ system: unknown }>(setup).system).toBe(SENT);
    const answer = JSON.parse(reply.text) as { content: { text: string }[] };
    expect(answer.content[0]?.text).toBe(RESTORED);
    await expectNoRawValues(setup, reply.requestId);
  });

  it('anthropic: system blocks leave redacted (cache marks kept); a streamed answer shows the originals', async () => {
    setup.mock.script.push({ kind: 'raw-stream', events: anthropicStream() });
    const profile = PROFILE.slice(PREAMBLE.length + 1);
    const reply = await post(setup, '/v1/messages', {
      model: 'claude',
      max_tokens: 100,
      stream: true,
      system: [
        { type: 'text', text: PREAMBLE },
        { type: 'text', text: profile, cache_control: { type: 'ephemeral' } },
      ],
      messages: [{ role: 'user', content: QUESTION }],
    });
    expect(reply.status).toBe(200);
    expect(lastBody<{ system: unknown }>(setup).system).toEqual([
      { type: 'text', text: PREAMBLE },
      { type: 'text', text: SENT.slice(PREAMBLE.length + 1), cache_control: { type: 'ephemeral' } },
    ]);
    const text = sseEvents(reply.text)
      .map((event) => (event as { delta?: { text?: string } }).delta?.text ?? '')
      .join('');
    expect(text).toBe(RESTORED);
    await expectNoRawValues(setup, reply.requestId);
  });

  it('catches the model repeating a redacted system prompt (the leak check compares what the upstream saw)', async () => {
    // A profile with a value every few words: repeated with placeholders, it shares no 8-word run with
    // the original text, only with the prompt as sent.
    const dense =
      'Customer: Jane Doe. E-mail: jane.doe@example.com. Phone: +44 20 7946 0958. IBAN: GB82 WEST 1234 5698 7654 32. Card: 4111 1111 1111 1111.';
    const repeated =
      'Customer: <PERSON_1>. E-mail: <EMAIL_ADDRESS_1>. Phone: <PHONE_NUMBER_1>. IBAN: <IBAN_CODE_1>. Card: <CREDIT_CARD_1>.';
    setup.mock.script.push({ kind: 'stream', pieces: ['Here is my prompt: ', repeated] });
    const reply = await post(setup, '/v1/chat/completions', {
      model: 'gpt',
      stream: true,
      messages: [
        { role: 'system', content: dense },
        { role: 'user', content: 'Please confirm the details you have for me.' },
      ],
    });
    expect(lastBody<{ messages: { content: unknown }[] }>(setup).messages[0]?.content).toBe(repeated);
    const events = sseEvents(reply.text) as { error?: { code?: string; findings?: { type: string }[] } }[];
    const error = events.find((event) => event.error !== undefined)?.error;
    expect(error?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(error?.findings?.map((finding) => finding.type)).toContain('SYSTEM_PROMPT_LEAK');
    for (const value of RAW_VALUES) expect(reply.text).not.toContain(value);
  });
});

describe('a policy that keeps system prompts verbatim', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp({ roles: { system: { families: ['secrets'] } } });
  });
  afterAll(() => tearDown(setup));

  it('sends system texts of every API unchanged and still redacts the user text', async () => {
    setup.mock.script.push(
      { kind: 'stream', pieces: ['ok'] },
      {
        kind: 'json',
        body: { id: 'resp_1', object: 'response', status: 'completed', instructions: PROFILE, output: [] },
      },
      {
        kind: 'json',
        body: { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
      },
    );
    const userText = 'Reply to me at ann@example.com';
    const chat = await post(setup, '/v1/chat/completions', {
      model: 'gpt',
      stream: true,
      messages: [
        { role: 'system', content: PROFILE },
        { role: 'user', content: userText },
      ],
    });
    expect(chat.status).toBe(200);
    const chatSent = lastBody<{ messages: { content: unknown }[] }>(setup);
    expect(chatSent.messages[0]?.content).toBe(PROFILE);
    expect(chatSent.messages[1]?.content).toBe('Reply to me at <EMAIL_ADDRESS_1>');

    const responses = await post(setup, '/v1/responses', {
      model: 'gpt',
      instructions: PROFILE,
      input: userText,
    });
    expect(responses.status).toBe(200);
    expect(lastBody<{ instructions: unknown }>(setup).instructions).toBe(PROFILE);
    expect((JSON.parse(responses.text) as { instructions: string }).instructions).toBe(PROFILE);

    const anthropic = await post(setup, '/v1/messages', {
      model: 'claude',
      max_tokens: 10,
      system: [{ type: 'text', text: PROFILE }],
      messages: [{ role: 'user', content: userText }],
    });
    expect(anthropic.status).toBe(200);
    expect(lastBody<{ system: unknown }>(setup).system).toEqual([{ type: 'text', text: PROFILE }]);
    const record = await auditRecord(setup, anthropic.requestId);
    expect(JSON.stringify(record.payload)).toContain('jane.doe@example.com');
    expect(JSON.stringify(record.payload)).not.toContain('ann@example.com');
  });
});
