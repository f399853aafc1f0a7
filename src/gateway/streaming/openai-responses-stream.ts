import type { ResponseGuard, ResponseViolation } from '../guard/response-guard.js';
import type { SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';
import { type StreamTransformer, streamErrorPayload } from './stream-transformer.js';

type ResponseEvent = Record<string, unknown> & { type?: string };

/** The events that end a Responses stream (API reference, "Streaming events"). */
const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
type OutputItem = Record<string, unknown> & { type?: string; id?: string };

/** Rewrites the texts of output items (message content, function-call arguments) from guarded channels. */
export function rewriteOutputItem(guard: ResponseGuard, item: OutputItem): boolean {
  if (item.type === 'message' && Array.isArray(item.content)) {
    for (let index = 0; index < item.content.length; index++) {
      const part = item.content[index] as Record<string, unknown>;
      if (part?.type !== 'output_text' || typeof part.text !== 'string') continue;
      const text = finalText({ guard, key: `${item.id}:${index}`, text: part.text, kind: 'text' });
      if (text === null) return false;
      part.text = text;
    }
  } else if (item.type === 'function_call') {
    if (typeof item.name === 'string' && !guard.allowTool(item.name)) return false;
    if (typeof item.arguments === 'string') {
      const text = finalText({ guard, key: `${item.id}:args`, text: item.arguments, kind: 'json' });
      if (text === null) return false;
      item.arguments = text;
    }
  }
  return true;
}

/** The final text of a channel: its released text when it streamed, else the whole text checked now. */
function finalText(options: {
  guard: ResponseGuard;
  key: string;
  text: string;
  kind: 'text' | 'json';
}): string | null {
  const channel = options.guard.existing(options.key);
  if (channel === undefined) return options.guard.wholeText(options.text, options.kind);
  if (!channel.finished && channel.finish() === null) return null;
  return channel.released;
}

/**
 * Guards an OpenAI Responses API stream (typed events per the API reference "Streaming events"):
 * `response.output_text.delta` and `response.function_call_arguments.delta` are checked and restored;
 * events that repeat whole texts (`*.done`, `response.output_item.done`, `response.completed`) carry
 * the guarded, restored text. Held text is released as one more delta just before the `.done` event.
 * The terminal event (`response.completed`, `response.incomplete` or `response.failed`) completes the
 * stream: the caller's response ends with it, without waiting for the upstream to close its body.
 */
export function createOpenAIResponsesStream(guard: ResponseGuard): StreamTransformer {
  let lastSequence = 0;
  let complete = false;

  function flushBefore(options: { data: ResponseEvent; key: string; deltaType: string }): string | null {
    const channel = guard.existing(options.key);
    if (channel === undefined || channel.finished) return '';
    const rest = channel.finish();
    if (rest === null) return null;
    if (rest.length === 0) return '';
    const delta: ResponseEvent = { type: options.deltaType, item_id: options.data.item_id };
    if (options.data.output_index !== undefined) delta.output_index = options.data.output_index;
    if (options.data.content_index !== undefined) delta.content_index = options.data.content_index;
    delta.delta = rest;
    delta.sequence_number = options.data.sequence_number;
    return formatSseEvent(JSON.stringify(delta), options.deltaType);
  }

  function transform(data: ResponseEvent): string | null {
    switch (data.type) {
      case 'response.output_text.delta': {
        if (typeof data.delta !== 'string') return '';
        const text = guard.channel(`${data.item_id}:${data.content_index ?? 0}`, 'text').push(data.delta);
        if (text === null) return null;
        if (text.length === 0) return '';
        data.delta = text;
        break;
      }
      case 'response.function_call_arguments.delta': {
        if (typeof data.delta !== 'string') return '';
        const text = guard.channel(`${data.item_id}:args`, 'json').push(data.delta);
        if (text === null) return null;
        if (text.length === 0) return '';
        data.delta = text;
        break;
      }
      case 'response.output_text.done': {
        const key = `${data.item_id}:${data.content_index ?? 0}`;
        const before = flushBefore({ data, key, deltaType: 'response.output_text.delta' });
        if (before === null) return null;
        const text = finalText({ guard, key, text: String(data.text ?? ''), kind: 'text' });
        if (text === null) return null;
        data.text = text;
        return before + formatSseEvent(JSON.stringify(data), data.type);
      }
      case 'response.function_call_arguments.done': {
        const key = `${data.item_id}:args`;
        const before = flushBefore({ data, key, deltaType: 'response.function_call_arguments.delta' });
        if (before === null) return null;
        const text = finalText({ guard, key, text: String(data.arguments ?? ''), kind: 'json' });
        if (text === null) return null;
        data.arguments = text;
        return before + formatSseEvent(JSON.stringify(data), data.type);
      }
      case 'response.content_part.done': {
        const part = data.part as Record<string, unknown> | undefined;
        if (part?.type === 'output_text' && typeof part.text === 'string') {
          const text = finalText({
            guard,
            key: `${data.item_id}:${data.content_index ?? 0}`,
            text: part.text,
            kind: 'text',
          });
          if (text === null) return null;
          part.text = text;
        }
        break;
      }
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const item = data.item as OutputItem | undefined;
        if (item?.type === 'function_call' && typeof item.name === 'string' && !guard.allowTool(item.name))
          return null;
        if (data.type === 'response.output_item.done' && item && !rewriteOutputItem(guard, item)) return null;
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        const response = data.response as { output?: OutputItem[] } | undefined;
        for (const item of response?.output ?? []) if (!rewriteOutputItem(guard, item)) return null;
        break;
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
      if (event.data === '[DONE]') return formatSseEvent('[DONE]');
      const data = JSON.parse(event.data) as ResponseEvent;
      if (typeof data.sequence_number === 'number') lastSequence = data.sequence_number;
      const out = transform(data);
      if (out === null) return '';
      if (TERMINAL_EVENTS.has(data.type ?? '') && guard.violation === undefined) {
        // Every text was finished by its `.done` event; one cut short is checked before the end.
        for (const [, channel] of guard.openChannels()) if (channel.finish() === null) return '';
        complete = true;
      }
      return out;
    },
    onEnd(): string {
      // A well-formed stream ends each text with a `.done` event; a stream cut short only gets checked.
      for (const [, channel] of guard.openChannels()) if (channel.finish() === null) return '';
      return '';
    },
    closing(reason: ResponseViolation): string {
      const payload = { type: 'error', sequence_number: lastSequence + 1, error: streamErrorPayload(reason) };
      return formatSseEvent(JSON.stringify(payload), 'error');
    },
  };
}
