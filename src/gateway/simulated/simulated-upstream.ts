import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ApiKind } from '../routing/router.js';
import type { UpstreamReply, UpstreamSend } from '../routing/upstream-client.js';
import { formatSseEvent } from '../streaming/sse-writer.js';
import {
  SIMULATED_MODEL,
  type SimulatedAnswer,
  simulateAnswer,
  simulatedEmbedding,
  simulatedId,
} from './simulated-answer.js';
import { requestTexts } from './simulated-text.js';

const CREATED = 1_700_000_000;
/** Characters per streamed delta: small, so placeholders and forbidden items split across many chunks. */
const CHUNK = 4;

function pieces(text: string): string[] {
  const out: string[] = [];
  for (let index = 0; index < text.length; index += CHUNK) out.push(text.slice(index, index + CHUNK));
  return out;
}

function toolNames(body: Record<string, unknown>): string[] {
  if (!Array.isArray(body.tools)) return [];
  return body.tools
    .map((tool) => {
      const record = tool as { name?: unknown; function?: { name?: unknown } } | null;
      return record?.function?.name ?? record?.name;
    })
    .filter((name): name is string => typeof name === 'string');
}

function chatWhole(answer: SimulatedAnswer, id: string): unknown {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: answer.toolCall ? null : answer.text,
  };
  if (answer.toolCall) {
    message.tool_calls = [{ id: `call_${id.slice(-12)}`, type: 'function', function: answer.toolCall }];
  }
  return {
    id,
    object: 'chat.completion',
    created: CREATED,
    model: SIMULATED_MODEL,
    choices: [{ index: 0, message, finish_reason: answer.toolCall ? 'tool_calls' : 'stop', logprobs: null }],
    usage: {
      prompt_tokens: answer.inputTokens,
      completion_tokens: answer.outputTokens,
      total_tokens: answer.inputTokens + answer.outputTokens,
    },
  };
}

function* chatEvents(answer: SimulatedAnswer, id: string): Generator<string> {
  const base = { id, object: 'chat.completion.chunk', created: CREATED, model: SIMULATED_MODEL };
  const chunk = (delta: unknown, finish: string | null = null) =>
    formatSseEvent(JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] }));
  yield chunk({ role: 'assistant', content: '' });
  if (answer.toolCall) {
    const call = answer.toolCall;
    yield chunk({
      tool_calls: [
        {
          index: 0,
          id: `call_${id.slice(-12)}`,
          type: 'function',
          function: { name: call.name, arguments: '' },
        },
      ],
    });
    for (const piece of pieces(call.arguments))
      yield chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
    yield chunk({}, 'tool_calls');
  } else {
    for (const piece of pieces(answer.text)) yield chunk({ content: piece });
    yield chunk({}, 'stop');
  }
  yield formatSseEvent('[DONE]');
}

function responseObject(answer: SimulatedAnswer, id: string, status: string): Record<string, unknown> {
  const output = answer.toolCall
    ? [
        {
          type: 'function_call',
          id: `fc_${id.slice(-12)}`,
          call_id: `call_${id.slice(-12)}`,
          name: answer.toolCall.name,
          arguments: answer.toolCall.arguments,
          status: 'completed',
        },
      ]
    : [
        {
          type: 'message',
          id: `msg_${id.slice(-12)}`,
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: answer.text, annotations: [] }],
        },
      ];
  return {
    id,
    object: 'response',
    created_at: CREATED,
    status,
    model: SIMULATED_MODEL,
    output: status === 'completed' ? output : [],
    usage: {
      input_tokens: answer.inputTokens,
      output_tokens: answer.outputTokens,
      total_tokens: answer.inputTokens + answer.outputTokens,
    },
  };
}

function* responsesEvents(answer: SimulatedAnswer, id: string): Generator<string> {
  let sequence = 0;
  const event = (data: Record<string, unknown>) =>
    formatSseEvent(JSON.stringify({ ...data, sequence_number: sequence++ }), data.type as string);
  yield event({ type: 'response.created', response: responseObject(answer, id, 'in_progress') });
  const whole = responseObject(answer, id, 'completed');
  const item = (whole.output as Record<string, unknown>[])[0] as Record<string, unknown>;
  const itemId = item.id as string;
  if (answer.toolCall) {
    yield event({
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...item, arguments: '', status: 'in_progress' },
    });
    for (const piece of pieces(answer.toolCall.arguments)) {
      yield event({
        type: 'response.function_call_arguments.delta',
        item_id: itemId,
        output_index: 0,
        delta: piece,
      });
    }
    yield event({
      type: 'response.function_call_arguments.done',
      item_id: itemId,
      output_index: 0,
      arguments: answer.toolCall.arguments,
    });
  } else {
    yield event({
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...item, content: [], status: 'in_progress' },
    });
    const part = { type: 'output_text', text: '', annotations: [] };
    yield event({
      type: 'response.content_part.added',
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part,
    });
    for (const piece of pieces(answer.text)) {
      yield event({
        type: 'response.output_text.delta',
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta: piece,
      });
    }
    yield event({
      type: 'response.output_text.done',
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      text: answer.text,
    });
    yield event({
      type: 'response.content_part.done',
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { ...part, text: answer.text },
    });
  }
  yield event({ type: 'response.output_item.done', output_index: 0, item });
  yield event({ type: 'response.completed', response: whole });
}

function anthropicWhole(answer: SimulatedAnswer, id: string): unknown {
  const content = answer.toolCall
    ? [
        {
          type: 'tool_use',
          id: `toolu_${id.slice(-12)}`,
          name: answer.toolCall.name,
          input: JSON.parse(answer.toolCall.arguments),
        },
      ]
    : [{ type: 'text', text: answer.text }];
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: SIMULATED_MODEL,
    content,
    stop_reason: answer.toolCall ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: answer.inputTokens, output_tokens: answer.outputTokens },
  };
}

function* anthropicEvents(answer: SimulatedAnswer, id: string): Generator<string> {
  const event = (data: Record<string, unknown>) => formatSseEvent(JSON.stringify(data), data.type as string);
  const message = {
    ...(anthropicWhole(answer, id) as Record<string, unknown>),
    content: [],
    stop_reason: null,
  };
  yield event({ type: 'message_start', message });
  if (answer.toolCall) {
    const block = { type: 'tool_use', id: `toolu_${id.slice(-12)}`, name: answer.toolCall.name, input: {} };
    yield event({ type: 'content_block_start', index: 0, content_block: block });
    for (const piece of pieces(answer.toolCall.arguments)) {
      yield event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: piece },
      });
    }
  } else {
    yield event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    for (const piece of pieces(answer.text)) {
      yield event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
    }
  }
  yield event({ type: 'content_block_stop', index: 0 });
  yield event({
    type: 'message_delta',
    delta: { stop_reason: answer.toolCall ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: answer.outputTokens },
  });
  yield event({ type: 'message_stop' });
}

async function* paced(events: Iterable<string>): AsyncGenerator<Buffer> {
  for (const text of events) {
    yield Buffer.from(text);
    // Yield to the event loop between events, as a network stream would.
    await nextTurn();
  }
}

const JSON_HEADERS = { 'content-type': 'application/json', 'x-aegis-simulated': 'true' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'x-aegis-simulated': 'true' };

function whole(value: unknown): UpstreamReply {
  return {
    statusCode: 200,
    headers: JSON_HEADERS,
    body: Readable.from([Buffer.from(JSON.stringify(value))]),
  };
}

/**
 * The built-in simulated model as an in-process upstream: answers every API the gateway serves, streamed
 * or not, in the providers' wire formats, so the whole gateway pipeline runs offline.
 */
export async function simulatedUpstream(send: UpstreamSend): Promise<UpstreamReply> {
  const body = send.parsed;
  const api: ApiKind = send.api;
  if (api === 'embeddings') {
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    return whole({
      object: 'list',
      data: inputs.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: simulatedEmbedding(text),
      })),
      model: SIMULATED_MODEL,
      usage: { prompt_tokens: inputs.join(' ').length, total_tokens: inputs.join(' ').length },
    });
  }
  const texts = requestTexts(body);
  const answer = simulateAnswer({
    userText: texts.userText,
    inputText: texts.inputText,
    tools: toolNames(body),
  });
  const prefix = api === 'chat' ? 'chatcmpl-' : api === 'responses' ? 'resp_' : 'msg_';
  const id = simulatedId(prefix, texts.inputText);
  if (!send.stream) {
    return whole(
      api === 'chat'
        ? chatWhole(answer, id)
        : api === 'responses'
          ? responseObject(answer, id, 'completed')
          : anthropicWhole(answer, id),
    );
  }
  const events =
    api === 'chat'
      ? chatEvents(answer, id)
      : api === 'responses'
        ? responsesEvents(answer, id)
        : anthropicEvents(answer, id);
  return { statusCode: 200, headers: SSE_HEADERS, body: Readable.from(paced(events)) };
}
