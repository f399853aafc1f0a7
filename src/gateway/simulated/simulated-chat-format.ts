import { formatSseEvent } from '../streaming/sse-writer.js';
import { SIMULATED_MODEL, type SimulatedAnswer } from './simulated-answer.js';
import { CREATED, pieces } from './simulated-pieces.js';

// OpenAI Chat Completions wire format (whole `chat.completion` and `chat.completion.chunk` stream).
export function chatWhole(answer: SimulatedAnswer, id: string): unknown {
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

export function* chatEvents(answer: SimulatedAnswer, id: string): Generator<string> {
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
