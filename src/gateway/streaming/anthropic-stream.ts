import { guardWebSearchResults } from '../guard/anthropic-result-blocks.js';
import { checkedJsonValue } from '../guard/checked-json-value.js';
import { checkedUpstreamError } from '../guard/checked-upstream-error.js';
import type { ResponseGuard, ResponseViolation, TextChannel } from '../guard/response-guard.js';
import { parseEventObject } from './parse-event-object.js';
import type { SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';
import { isFilterViolation, type StreamTransformer } from './stream-transformer.js';
import {
  cutStringFieldTemplate,
  fillStringFieldTemplate,
  matchStringFieldTemplate,
  type StringFieldTemplate,
} from './string-field-template.js';

type AnthropicEvent = Record<string, unknown> & { type?: string; index?: number };

/** A text delta's template: its shape, the content block it belongs to, and that block's channel. */
type TextDeltaTemplate = StringFieldTemplate & { index: number; open?: TextChannel };

/** True for a tool block's usual starting input: absent or `{}`. */
function isEmptyInput(input: unknown): boolean {
  if (input === undefined || input === null) return true;
  return typeof input === 'object' && !Array.isArray(input) && Object.keys(input).length === 0;
}

function hasExactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => own.includes(key));
}

/**
 * Cuts a parsed `content_block_delta` with a `text_delta` into a template, when it has exactly the
 * documented members (`type`, `index`, `delta` holding `type` and `text`): then `"text"` can only be the
 * delta's member name, and a later event that matches the template differs only in its text.
 */
function learnTextDeltaTemplate(data: string, event: AnthropicEvent): TextDeltaTemplate | undefined {
  if (event.type !== 'content_block_delta' || typeof event.index !== 'number') return undefined;
  if (!hasExactKeys(event, ['type', 'index', 'delta'])) return undefined;
  const delta = event.delta as Record<string, unknown> | null;
  if (delta === null || typeof delta !== 'object' || Array.isArray(delta)) return undefined;
  if (!hasExactKeys(delta, ['type', 'text']) || delta.type !== 'text_delta') return undefined;
  if (typeof delta.text !== 'string') return undefined;
  const cut = cutStringFieldTemplate({ data, key: 'text', value: delta.text });
  return cut === undefined ? undefined : { ...cut, index: event.index };
}

/**
 * Guards an Anthropic Messages stream (events per Anthropic's "Streaming Messages" docs: message_start,
 * content_block_start/delta/stop, message_delta, message_stop, ping, error). `text_delta`,
 * `thinking_delta` and `input_json_delta` are checked and restored per content block (`signature_delta`
 * is opaque, `citations_delta` quotes the caller's own documents: both pass as they are); held text is released in one more
 * delta before `content_block_stop`. Text and tool input that a block starts with, and the message of an
 * upstream `error` event, are checked and restored too. A violation sends `message_delta` with stop_reason `refusal` and
 * an `error` event. `message_stop` completes the stream: the caller's response ends with it, without
 * waiting for the upstream to close its body.
 */
export function createAnthropicStream(guard: ResponseGuard): StreamTransformer {
  const kinds = new Map<number, 'text' | 'json' | 'thinking'>();
  let complete = false;
  let template: TextDeltaTemplate | undefined;

  function flushBlock(index: number): string | null {
    const channel = guard.existing(`${index}`);
    if (channel === undefined || channel.finished) return '';
    const rest = channel.finish();
    if (rest === null) return null;
    if (rest.length === 0) return '';
    const kind = kinds.get(index);
    const delta =
      kind === 'json'
        ? { type: 'input_json_delta', partial_json: rest }
        : kind === 'thinking'
          ? { type: 'thinking_delta', thinking: rest }
          : { type: 'text_delta', text: rest };
    return formatSseEvent(
      JSON.stringify({ type: 'content_block_delta', index, delta }),
      'content_block_delta',
    );
  }

  /**
   * A tool block that starts with its input (the docs show `{}`, then `input_json_delta` events): the
   * input is checked as its JSON text and sent restored; when a redaction left that text unparsable, it
   * follows as an `input_json_delta`, as streamed input would.
   */
  function toolBlockStart(
    data: AnthropicEvent,
    block: Record<string, unknown>,
    index: number,
  ): string | null {
    const checked = checkedJsonValue(guard, block.input);
    if (checked === null) return null;
    if ('value' in checked) {
      block.input = checked.value;
      return formatSseEvent(JSON.stringify(data), 'content_block_start');
    }
    block.input = {};
    const delta = {
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: checked.text },
    };
    return (
      formatSseEvent(JSON.stringify(data), 'content_block_start') +
      formatSseEvent(JSON.stringify(delta), 'content_block_delta')
    );
  }

  function transform(data: AnthropicEvent): string | null {
    const index = data.index ?? 0;
    switch (data.type) {
      case 'content_block_start': {
        const block = data.content_block as Record<string, unknown> | undefined;
        if (block?.type === 'tool_use' || block?.type === 'server_tool_use') {
          kinds.set(index, 'json');
          if (typeof block.name === 'string' && !guard.allowTool(block.name)) return null;
          if (!isEmptyInput(block.input)) return toolBlockStart(data, block, index);
        } else if (block?.type === 'web_search_tool_result') {
          if (!guardWebSearchResults(guard, block)) return null;
        } else if (block?.type === 'thinking') {
          kinds.set(index, 'thinking');
          // A block may start with text in it (the docs show it empty): that text is checked too.
          if (typeof block.thinking === 'string' && block.thinking.length > 0) {
            const text = guard.channel(`${index}`, 'text').push(block.thinking);
            if (text === null) return null;
            block.thinking = text;
          }
        } else {
          kinds.set(index, 'text');
          if (typeof block?.text === 'string' && block.text.length > 0) {
            const text = guard.channel(`${index}`, 'text').push(block.text);
            if (text === null) return null;
            block.text = text;
          }
        }
        break;
      }
      case 'content_block_delta': {
        const delta = data.delta as Record<string, unknown> | undefined;
        if (delta?.type === 'text_delta' && typeof delta.text === 'string') {
          const text = guard.channel(`${index}`, 'text').push(delta.text);
          if (text === null) return null;
          if (text.length === 0) return '';
          delta.text = text;
        } else if (delta?.type === 'thinking_delta' && typeof delta.thinking === 'string') {
          // Extended thinking reaches the caller too: checked and restored like the answer's text.
          const text = guard.channel(`${index}`, 'text').push(delta.thinking);
          if (text === null) return null;
          if (text.length === 0) return '';
          delta.thinking = text;
        } else if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const text = guard.channel(`${index}`, 'json').push(delta.partial_json);
          if (text === null) return null;
          if (text.length === 0) return '';
          delta.partial_json = text;
        }
        break;
      }
      case 'error': {
        // An upstream's own error event ("Streaming Messages", error events): its message is upstream
        // text, so it is checked and restored; only the error type is kept with it.
        const error = checkedUpstreamError({ guard, error: data.error, fields: ['type'] });
        if (error === null) return null;
        const checked = { type: 'error', error: { type: error.type ?? 'api_error', message: error.message } };
        return formatSseEvent(JSON.stringify(checked), 'error');
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
    get complete() {
      return complete;
    },
    onEvent(event: SseEvent): string {
      if (template !== undefined && event.event === 'content_block_delta') {
        const text = matchStringFieldTemplate(template, event.data);
        if (text !== undefined) {
          // Same shape as the delta the template came from: only the text differs.
          if (text.length === 0) return '';
          template.open ??= guard.channel(`${template.index}`, 'text');
          const released = template.open.push(text);
          if (released === null || released.length === 0) return '';
          return formatSseEvent(fillStringFieldTemplate(template, released), 'content_block_delta');
        }
      }
      const data = parseEventObject(event.data) as AnthropicEvent;
      if (template === undefined && event.event === 'content_block_delta')
        template = learnTextDeltaTemplate(event.data, data);
      const out = transform(data);
      if (out === null) return '';
      if (data.type === 'message_stop' && guard.violation === undefined) complete = true;
      return out;
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
