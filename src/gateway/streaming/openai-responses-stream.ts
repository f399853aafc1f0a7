import type { ResponseGuard, ResponseViolation } from '../guard/response-guard.js';
import { parseEventObject } from './parse-event-object.js';
import {
  DELTA_TYPES,
  DONE_TYPES,
  dropLogprobs,
  finalText,
  indexOf,
  type OutputItem,
  type ResponseEvent,
  type RewriteText,
  rewriteItemTexts,
  rewritePart,
  slotOf,
  TEXT_TYPES,
  type TextSlot,
} from './responses-output-texts.js';
import type { SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';
import { type StreamTransformer, streamErrorPayload } from './stream-transformer.js';

/** The events that end a Responses stream (API reference, "Streaming events"). */
const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/** Events that carry a snapshot of the response before its items are streamed. */
const SNAPSHOT_EVENTS = new Set(['response.created', 'response.in_progress', 'response.queued']);

/** Where a streamed text's deltas go, remembered from its first delta to release held text later. */
interface DeltaTemplate {
  slot: TextSlot;
  itemId: unknown;
  outputIndex: unknown;
}

/**
 * Guards an OpenAI Responses API stream (typed events per the API reference "Streaming events"). Every
 * text delta (`response.output_text.delta`, `response.refusal.delta`, `response.reasoning_summary_text.delta`,
 * `response.reasoning_text.delta`, `response.function_call_arguments.delta`,
 * `response.custom_tool_call_input.delta`) goes through a guarded channel per item and part; events that
 * repeat whole texts (`*.done`, `response.content_part.done`, `response.reasoning_summary_part.done`,
 * `response.output_item.done`, the terminal event) carry the guarded, restored text. Held text is released
 * as one more delta just before the first event that ends its text. Texts found in `.added` events start
 * their channel; texts in early snapshots (`response.created`, …) are checked whole. The terminal event
 * (`response.completed`, `response.incomplete` or `response.failed`) completes the stream: the caller's
 * response ends with it, without waiting for the upstream to close its body.
 */
export function createOpenAIResponsesStream(guard: ResponseGuard): StreamTransformer {
  let lastSequence = 0;
  let complete = false;
  const templates = new Map<string, DeltaTemplate>();

  function push(options: {
    slot: TextSlot;
    itemId: unknown;
    outputIndex: unknown;
    delta: string;
  }): string | null {
    const { slot } = options;
    if (!templates.has(slot.key))
      templates.set(slot.key, { slot, itemId: options.itemId, outputIndex: options.outputIndex });
    return guard.channel(slot.key, slot.kind).push(options.delta);
  }

  /** Finishes a streamed text and returns its held rest as a delta event ('' when none), null on a violation. */
  function release(key: string, sequence: unknown): string | null {
    const channel = guard.existing(key);
    const template = templates.get(key);
    if (channel === undefined || channel.finished || template === undefined) return '';
    const rest = channel.finish();
    if (rest === null) return null;
    if (rest.length === 0) return '';
    const spec = TEXT_TYPES[template.slot.type];
    const delta: ResponseEvent = { type: spec.delta, item_id: template.itemId };
    if (template.outputIndex !== undefined) delta.output_index = template.outputIndex;
    if (spec.index !== undefined) delta[spec.index] = template.slot.index;
    delta.delta = rest;
    delta.sequence_number = sequence;
    return formatSseEvent(JSON.stringify(delta), spec.delta);
  }

  /** A rewrite that releases each text's held rest (collected in `before`) and then gives its final text. */
  function finalRewrite(sequence: unknown) {
    const state = { before: '' };
    const rewrite: RewriteText = (slot, text) => {
      const released = release(slot.key, sequence);
      if (released === null) return null;
      state.before += released;
      return finalText({ guard, key: slot.key, text, kind: slot.kind });
    };
    return { state, rewrite };
  }

  /** A rewrite for `.added` events: a text already present starts its channel. */
  function addedRewrite(data: ResponseEvent): RewriteText {
    return (slot, text) =>
      text.length === 0
        ? text
        : push({ slot, itemId: data.item_id, outputIndex: data.output_index, delta: text });
  }

  const snapshotRewrite: RewriteText = (slot, text) =>
    text.length === 0 ? text : guard.wholeText(text, slot.kind);

  function emit(data: ResponseEvent, before = ''): string {
    return before + formatSseEvent(JSON.stringify(data), data.type);
  }

  function transform(data: ResponseEvent): string | null {
    const type = data.type ?? '';
    const deltaType = DELTA_TYPES.get(type);
    if (deltaType !== undefined) {
      if (typeof data.delta !== 'string') return '';
      const slot = slotOf(deltaType, data.item_id, indexOf(deltaType, data));
      const text = push({ slot, itemId: data.item_id, outputIndex: data.output_index, delta: data.delta });
      if (text === null) return null;
      if (text.length === 0) return '';
      data.delta = text;
      // A delta's log probabilities list tokens that arrived with it, still held back and unchecked.
      if (guard.mode !== 'audit') dropLogprobs(data);
      return emit(data);
    }
    const done = DONE_TYPES.get(type);
    if (done !== undefined) {
      const slot = slotOf(done.type, data.item_id, indexOf(done.type, data));
      const before = release(slot.key, data.sequence_number);
      if (before === null) return null;
      const upstreamText = String(data[done.field] ?? '');
      const text = finalText({ guard, key: slot.key, text: upstreamText, kind: slot.kind });
      if (text === null) return null;
      data[done.field] = text;
      if (text !== upstreamText) dropLogprobs(data);
      return emit(data, before);
    }
    switch (type) {
      case 'response.content_part.added':
      case 'response.reasoning_summary_part.added': {
        const summary = type === 'response.reasoning_summary_part.added';
        const index = summary ? data.summary_index : data.content_index;
        const rewrite = addedRewrite(data);
        if (!rewritePart({ part: data.part, itemId: data.item_id, index, rewrite, summary })) return null;
        return emit(data);
      }
      case 'response.content_part.done':
      case 'response.reasoning_summary_part.done': {
        const summary = type === 'response.reasoning_summary_part.done';
        const index = summary ? data.summary_index : data.content_index;
        const { state, rewrite } = finalRewrite(data.sequence_number);
        if (!rewritePart({ part: data.part, itemId: data.item_id, index, rewrite, summary })) return null;
        return emit(data, state.before);
      }
      case 'response.output_item.added': {
        const item = data.item as OutputItem | undefined;
        if (item === null || typeof item !== 'object') return emit(data);
        const rewrite = addedRewrite({ item_id: item.id, output_index: data.output_index });
        if (!rewriteItemTexts(guard, item, rewrite)) return null;
        return emit(data);
      }
      case 'response.output_item.done': {
        const item = data.item as OutputItem | undefined;
        if (item === null || typeof item !== 'object') return emit(data);
        const { state, rewrite } = finalRewrite(data.sequence_number);
        if (!rewriteItemTexts(guard, item, rewrite)) return null;
        return emit(data, state.before);
      }
      default:
        break;
    }
    if (TERMINAL_EVENTS.has(type)) return terminal(data);
    if (SNAPSHOT_EVENTS.has(type) && !rewriteOutput(data, snapshotRewrite)) return null;
    return emit(data);
  }

  /** Rewrites the items of the response an event carries (`response.output`); false on a violation. */
  function rewriteOutput(data: ResponseEvent, rewrite: RewriteText): boolean {
    const response = data.response as { output?: unknown } | null | undefined;
    const output = response !== null && typeof response === 'object' ? response.output : undefined;
    if (!Array.isArray(output)) return true;
    for (const item of output) {
      if (item !== null && typeof item === 'object' && !rewriteItemTexts(guard, item, rewrite)) return false;
    }
    return true;
  }

  function terminal(data: ResponseEvent): string | null {
    // Texts whose `.done` event never came still reach the caller's deltas before the final snapshot.
    let before = '';
    for (const key of templates.keys()) {
      const released = release(key, data.sequence_number);
      if (released === null) return null;
      before += released;
    }
    if (!rewriteOutput(data, (slot, text) => finalText({ guard, key: slot.key, text, kind: slot.kind })))
      return null;
    return emit(data, before);
  }

  return {
    get complete() {
      return complete;
    },
    onEvent(event: SseEvent): string {
      if (event.data === '[DONE]') return formatSseEvent('[DONE]');
      const data = parseEventObject(event.data) as ResponseEvent;
      if (typeof data.sequence_number === 'number') lastSequence = data.sequence_number;
      const out = transform(data);
      if (out === null) return '';
      if (TERMINAL_EVENTS.has(data.type ?? '') && guard.violation === undefined) {
        // Every text was finished above; a channel opened some other way is checked before the end.
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
