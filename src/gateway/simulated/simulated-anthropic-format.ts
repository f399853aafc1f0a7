import { formatSseEvent } from '../streaming/sse-writer.js';
import { SIMULATED_MODEL, type SimulatedAnswer } from './simulated-answer.js';
import { pieces } from './simulated-pieces.js';

// Anthropic Messages wire format (whole message and streaming events).
export function anthropicWhole(answer: SimulatedAnswer, id: string): unknown {
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

export function* anthropicEvents(answer: SimulatedAnswer, id: string): Generator<string> {
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
