import { formatSseEvent } from '../streaming/sse-writer.js';
import { SIMULATED_MODEL, type SimulatedAnswer } from './simulated-answer.js';
import { CREATED, pieces } from './simulated-pieces.js';

// OpenAI Responses API wire format (whole `response` object and typed stream events).
export function responseObject(answer: SimulatedAnswer, id: string, status: string): Record<string, unknown> {
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

export function* responsesEvents(answer: SimulatedAnswer, id: string): Generator<string> {
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
