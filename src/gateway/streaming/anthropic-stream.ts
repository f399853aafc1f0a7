import type { ResponseGuard, ResponseViolation } from '../guard/response-guard.js';
import type { SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';
import { isFilterViolation, type StreamTransformer } from './stream-transformer.js';

type AnthropicEvent = Record<string, unknown> & { type?: string; index?: number };

/**
 * Guards an Anthropic Messages stream (events per Anthropic's "Streaming Messages" docs: message_start,
 * content_block_start/delta/stop, message_delta, message_stop, ping, error). `text_delta` and
 * `input_json_delta` are checked and restored per content block; held text is released in one more
 * delta before `content_block_stop`. A violation sends `message_delta` with stop_reason `refusal` and
 * an `error` event.
 */
export function createAnthropicStream(guard: ResponseGuard): StreamTransformer {
  const kinds = new Map<number, 'text' | 'json'>();

  function flushBlock(index: number): string | null {
    const channel = guard.existing(`${index}`);
    if (channel === undefined || channel.finished) return '';
    const rest = channel.finish();
    if (rest === null) return null;
    if (rest.length === 0) return '';
    const delta =
      kinds.get(index) === 'json'
        ? { type: 'input_json_delta', partial_json: rest }
        : { type: 'text_delta', text: rest };
    return formatSseEvent(
      JSON.stringify({ type: 'content_block_delta', index, delta }),
      'content_block_delta',
    );
  }

  function transform(data: AnthropicEvent): string | null {
    const index = data.index ?? 0;
    switch (data.type) {
      case 'content_block_start': {
        const block = data.content_block as Record<string, unknown> | undefined;
        if (block?.type === 'tool_use') {
          kinds.set(index, 'json');
          if (typeof block.name === 'string' && !guard.allowTool(block.name)) return null;
        } else kinds.set(index, 'text');
        break;
      }
      case 'content_block_delta': {
        const delta = data.delta as Record<string, unknown> | undefined;
        if (delta?.type === 'text_delta' && typeof delta.text === 'string') {
          const text = guard.channel(`${index}`, 'text').push(delta.text);
          if (text === null) return null;
          if (text.length === 0) return '';
          delta.text = text;
        } else if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const text = guard.channel(`${index}`, 'json').push(delta.partial_json);
          if (text === null) return null;
          if (text.length === 0) return '';
          delta.partial_json = text;
        }
        break;
      }
      case 'content_block_stop': {
        const before = flushBlock(index);
        if (before === null) return null;
        return before + formatSseEvent(JSON.stringify(data), data.type);
      }
      case 'message_delta':
      case 'message_stop': {
        let before = '';
        for (const [key] of guard.openChannels()) {
          const flushed = flushBlock(Number(key));
          if (flushed === null) return null;
          before += flushed;
        }
        return before + formatSseEvent(JSON.stringify(data), data.type);
      }
      default:
        break;
    }
    return formatSseEvent(JSON.stringify(data), data.type);
  }

  return {
    onEvent(event: SseEvent): string {
      const data = JSON.parse(event.data) as AnthropicEvent;
      return transform(data) ?? '';
    },
    onEnd(): string {
      let out = '';
      for (const [key] of guard.openChannels()) {
        const flushed = flushBlock(Number(key));
        if (flushed === null) return '';
        out += flushed;
      }
      return out;
    },
    closing(reason: ResponseViolation): string {
      const error = {
        type: 'error',
        error: {
          type: isFilterViolation(reason) ? 'content_filter_error' : 'api_error',
          message: reason.message,
          code: reason.code,
          findings: reason.findings,
        },
      };
      let out = '';
      if (isFilterViolation(reason)) {
        const stop = {
          type: 'message_delta',
          delta: { stop_reason: 'refusal', stop_sequence: null },
          usage: { output_tokens: 0 },
        };
        out += formatSseEvent(JSON.stringify(stop), 'message_delta');
      }
      return out + formatSseEvent(JSON.stringify(error), 'error');
    },
  };
}
