import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardWholeResponse } from '../guard/guard-whole-response.js';
import {
  accumulate,
  EXFIL,
  KEY,
  ORIGINAL,
  type Received,
  run,
  setup,
} from '../test-support/responses-stream-harness.js';
import { splitAt } from '../test-support/split-at.js';
import { rewriteOutputItem } from './responses-output-texts.js';
import type { SseEvent } from './sse-parser.js';

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

describe('echoed instructions', () => {
  it('restores the placeholders of the request in the instructions the response repeats', () => {
    const { email, responseGuard } = setup();
    const body: Record<string, unknown> = {
      id: 'resp_1',
      object: 'response',
      instructions: `Answer ${email} politely.`,
      output: [],
    };
    expect(guardWholeResponse({ shape: 'responses', guard: responseGuard, body })).toBe(true);
    expect(body.instructions).toBe(`Answer ${ORIGINAL} politely.`);
    // The body changed, so the gateway sends it re-serialised rather than the upstream's bytes.
    expect(responseGuard.changed).toBe(true);

    const result = run((placeholder) => [
      {
        event: 'response.created',
        data: JSON.stringify({
          type: 'response.created',
          sequence_number: 0,
          response: {
            id: 'resp_1',
            status: 'in_progress',
            instructions: [
              { role: 'developer', content: [{ type: 'input_text', text: `For ${placeholder}` }] },
            ],
            output: [],
          },
        }),
        id: undefined,
      },
    ]);
    const response = result.received[0]?.data.response as { instructions: { content: { text: string }[] }[] };
    expect(response.instructions[0]?.content[0]?.text).toBe(`For ${ORIGINAL}`);
  });
});
