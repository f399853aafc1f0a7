import { STREAMED_RESPONSE_MEMBERS } from '../guard/answer-members.js';
import { guardUnknownBlock } from '../guard/anthropic-unknown-block.js';
import { checkedUpstreamError } from '../guard/checked-upstream-error.js';
import type { ResponseGuard, ResponseViolation } from '../guard/response-guard.js';
import type { HandledMembers } from '../guard/rewrite-unknown-value.js';
import { parseEventObject } from './parse-event-object.js';
import { rewriteAnnotation } from './responses-annotations.js';
import { restoreEchoedInstructions } from './responses-echo.js';
import { finalText, rewriteItemTexts, rewritePart } from './responses-output-texts.js';
import { createResponsesStreamTexts } from './responses-stream-texts.js';
import {
  DELTA_TYPES,
  DONE_TYPES,
  dropLogprobs,
  indexOf,
  type OutputItem,
  type ResponseEvent,
  type RewriteText,
  recordAt,
  type StreamedType,
  slotOf,
} from './responses-text-types.js';
import { rewriteUnknownEvent } from './responses-unknown-event.js';
import { rewriteUnknownItem } from './responses-unknown-item.js';
import type { SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';
import { type StreamTransformer, streamErrorPayload } from './stream-transformer.js';
import { createTextJunctionGate, type GatedOutput } from './text-junction-gate.js';

/** The events that end a Responses stream (API reference, "Streaming events"). */
const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/**
 * Events that may wait between two output texts (see `TextJunctionGate`): the ends of one text's part and
 * message item, the starts of the next; anything else releases what waits first.
 */
const BETWEEN_TEXTS = new Set([
  'response.content_part.done',
  'response.output_item.done',
  'response.output_item.added',
  'response.content_part.added',
]);
/** Events that carry a snapshot of the response before its items are streamed. */
const SNAPSHOT_EVENTS = new Set(['response.created', 'response.in_progress', 'response.queued']);

/**
 * The members of a known event that its own code handles, by the event's shape; every other member (the
 * `item_id`, a member added after this code was written) is checked like a string of an unknown event.
 * The `response` a snapshot or terminal event carries has its items, error and echoed instructions
 * handled; its other members (`id`, `model`, `metadata`, a member added later) are walked (see
 * `STREAMED_RESPONSE_MEMBERS`).
 */
const DELTA_EVENT: HandledMembers = { delta: 'skip', logprobs: 'skip', obfuscation: 'skip' };
const PART_EVENT: HandledMembers = { part: 'skip' };
const ITEM_EVENT: HandledMembers = { item: 'skip' };
const ANNOTATION_EVENT: HandledMembers = { annotation: 'skip' };
const RESPONSE_EVENT: HandledMembers = { response: STREAMED_RESPONSE_MEMBERS };
/** A `.done` event's whole text, by member name. */
const DONE_EVENTS = new Map<string, HandledMembers>(
  [...DONE_TYPES.values()].map(({ field }): [string, HandledMembers] => [
    field,
    { [field]: 'skip', logprobs: 'skip' },
  ]),
);

/**
 * Guards an OpenAI Responses API stream (typed events per the API reference "Streaming events"). Every
 * text delta (output text, refusals, reasoning summaries and text, function-call arguments, custom tool
 * input, MCP call arguments, code-interpreter code, audio transcripts; see `DELTA_TYPES`) goes through a
 * guarded channel per item and part; events that repeat whole texts (`*.done`, `response.content_part.done`,
 * `response.reasoning_summary_part.done`, `response.output_item.done`, the terminal event) carry the
 * guarded, restored text. Held text is released as one more delta just before the first event that ends
 * its text. Texts found in `.added` events start their channel; texts that are never streamed (tool
 * outputs, shell commands, citations) are checked whole where they first appear; texts in early
 * snapshots (`response.created`, …) are checked whole. Called tools go through the allowlist as soon as
 * their item is announced. The terminal event (`response.completed`, `response.incomplete` or
 * `response.failed`) completes the stream: the caller's response ends with it, without waiting for the
 * upstream to close its body. An upstream `error` event and a failed response's `error` are checked and
 * restored like answer text. Every event the caller receives is numbered by the gateway (`sequence_number`).
 */
export function createOpenAIResponsesStream(guard: ResponseGuard): StreamTransformer {
  let complete = false;
  /**
   * The `sequence_number` of the next event the caller receives. The gateway emits events the upstream
   * never sent (held text released as one more delta, the closing `error`) and drops others (deltas held
   * back), so it numbers every event itself, in the order they leave: strictly increasing without gaps,
   * starting where the upstream's first event started (0 for OpenAI).
   */
  let nextSequence: number | undefined;
  const sequence = (): number => {
    nextSequence ??= 0;
    return nextSequence++;
  };
  const texts = createResponsesStreamTexts(guard, sequence);
  /** Where two output texts meet, output waits until their junction is checked. */
  const gate = createTextJunctionGate(guard);
  /** The text the `.done` event being handled ended, for the gate: its last characters as sent upstream. */
  let ended: string | undefined;

  const snapshotRewrite: RewriteText = (slot, text) =>
    text.length === 0 ? text : guard.wholeText(text, slot.kind);

  function emit(data: ResponseEvent, before = ''): string {
    data.sequence_number = sequence();
    return before + formatSseEvent(JSON.stringify(data), data.type);
  }

  /** Checks the members of a known event that its own code does not handle; false on a violation. */
  function otherMembers(data: ResponseEvent, handled: HandledMembers): boolean {
    const at = `event.${data.type ?? ''}`;
    return rewriteUnknownItem({
      guard,
      record: data,
      itemId: data.item_id,
      rewrite: texts.checkWhole,
      at,
      handled,
    });
  }

  /**
   * An upstream's `error` event (API reference, "Streaming events": `code`, `message`, `param`; some
   * servers nest them under `error`, as in chat streams). The message is upstream text: checked and
   * restored; `code`, `param` (and a nested `type`) kept when short identifiers; nothing else passes.
   */
  function upstreamError(data: ResponseEvent): string | null {
    const out: ResponseEvent = { type: 'error' };
    const nested = recordAt(data.error);
    if (nested === undefined || typeof data.message === 'string') {
      const error = checkedUpstreamError({ guard, error: data, fields: ['code', 'param'] });
      if (error === null) return null;
      Object.assign(out, error);
    }
    if (nested !== undefined) {
      const error = checkedUpstreamError({ guard, error: nested, fields: ['type', 'param', 'code'] });
      if (error === null) return null;
      out.error = error;
    }
    return emit(out);
  }

  /**
   * The `error` of the response an event carries (`response.failed`: `{code, message}`, API reference
   * "Responses object"): its message is checked and restored, its code kept when a short identifier.
   * False on a violation.
   */
  function rewriteResponseError(data: ResponseEvent): boolean {
    const response = recordAt(data.response);
    if (response === undefined || response.error === null || response.error === undefined) return true;
    // Anything but the documented object (a bare string from some servers) passes only as a checked message.
    const error = recordAt(response.error) ?? {
      message: typeof response.error === 'string' ? response.error : undefined,
    };
    const checked = checkedUpstreamError({ guard, error, fields: ['code'] });
    if (checked === null) return false;
    response.error = { code: checked.code, message: checked.message };
    return true;
  }

  function delta(data: ResponseEvent, deltaType: StreamedType): string | null {
    // Earlier MCP argument deltas were objects: never sent; the `.done` event carries the checked text.
    if (typeof data.delta !== 'string') return '';
    const slot = slotOf(deltaType, data.item_id, indexOf(deltaType, data));
    const at = { itemId: data.item_id, outputIndex: data.output_index, event: data.type };
    const text = texts.push({ slot, ...at, delta: data.delta });
    if (text === null) return null;
    if (text.length === 0) return '';
    data.delta = text;
    if (guard.mode !== 'audit') {
      // A delta's log probabilities list tokens that arrived with it, still held back and unchecked. Its
      // `obfuscation` is random padding sized to hide the length of the upstream's piece of text; the
      // gateway releases text in pieces of its own, so the padding hides nothing there, and a free-form
      // string from the upstream is not passed on unchecked: it is dropped.
      dropLogprobs(data);
      delete data.obfuscation;
    }
    if (!otherMembers(data, DELTA_EVENT)) return null;
    return emit(data);
  }

  function done(data: ResponseEvent, spec: { type: StreamedType; field: string }) {
    const slot = slotOf(spec.type, data.item_id, indexOf(spec.type, data));
    const before = texts.release(slot.key);
    if (before === null) return null;
    const value = data[spec.field];
    // Earlier MCP events sent arguments as an object: checked as its JSON text, sent as that text.
    const upstreamText = typeof value === 'string' ? value : value == null ? '' : JSON.stringify(value);
    const text = finalText({ guard, key: slot.key, text: upstreamText, kind: slot.kind });
    if (text === null) return null;
    // The end of an output text is checked with the start of the next one before it is sent.
    if (spec.type === 'text') ended = guard.existing(slot.key)?.tail ?? '';
    // An event without the text (`response.audio.transcript.done`) only ends it.
    if (value !== undefined) data[spec.field] = text;
    if (text !== upstreamText) dropLogprobs(data);
    if (!otherMembers(data, DONE_EVENTS.get(spec.field) as HandledMembers)) return null;
    return emit(data, before);
  }

  function transform(data: ResponseEvent): string | null {
    const type = data.type ?? '';
    const deltaType = DELTA_TYPES.get(type);
    if (deltaType !== undefined) return delta(data, deltaType);
    const doneType = DONE_TYPES.get(type);
    if (doneType !== undefined) return done(data, doneType);
    switch (type) {
      case 'error':
        return upstreamError(data);
      case 'response.content_part.added':
      case 'response.reasoning_summary_part.added': {
        const summary = type === 'response.reasoning_summary_part.added';
        const index = summary ? data.summary_index : data.content_index;
        const rewrite = texts.addedRewrite(data);
        if (!rewritePart({ guard, part: data.part, itemId: data.item_id, index, rewrite, summary }))
          return null;
        if (!otherMembers(data, PART_EVENT)) return null;
        return emit(data);
      }
      case 'response.content_part.done':
      case 'response.reasoning_summary_part.done': {
        const summary = type === 'response.reasoning_summary_part.done';
        const index = summary ? data.summary_index : data.content_index;
        const { state, rewrite } = texts.finalRewrite();
        if (!rewritePart({ guard, part: data.part, itemId: data.item_id, index, rewrite, summary }))
          return null;
        if (!otherMembers(data, PART_EVENT)) return null;
        return emit(data, state.before);
      }
      case 'response.output_text.annotation.added': {
        const annotation = {
          annotation: data.annotation,
          itemId: data.item_id,
          contentIndex: data.content_index,
          annotationIndex: data.annotation_index,
        };
        if (!rewriteAnnotation({ ...annotation, guard, rewrite: texts.checkWhole })) return null;
        if (!otherMembers(data, ANNOTATION_EVENT)) return null;
        return emit(data);
      }
      case 'response.output_item.added': {
        const item = data.item as OutputItem | undefined;
        if (item === null || typeof item !== 'object') return emit(data);
        const rewrite = texts.addedRewrite({ item_id: item.id, output_index: data.output_index });
        if (!rewriteItemTexts(guard, item, rewrite)) return null;
        if (!otherMembers(data, ITEM_EVENT)) return null;
        return emit(data);
      }
      case 'response.output_item.done': {
        const item = data.item as OutputItem | undefined;
        if (item === null || typeof item !== 'object') return emit(data);
        const { state, rewrite } = texts.finalRewrite();
        if (!rewriteItemTexts(guard, item, rewrite)) return null;
        if (!otherMembers(data, ITEM_EVENT)) return null;
        return emit(data, state.before);
      }
      default:
        break;
    }
    if (!TERMINAL_EVENTS.has(type) && !SNAPSHOT_EVENTS.has(type)) {
      const outcome = rewriteUnknownEvent({ guard, data, rewrite: texts.checkWhole });
      return outcome === 'send' ? emit(data) : outcome === 'drop' ? '' : null;
    }
    if (!rewriteResponseError(data)) return null;
    restoreEchoedInstructions(guard, data.response);
    if (!otherMembers(data, RESPONSE_EVENT)) return null;
    if (TERMINAL_EVENTS.has(type)) return terminal(data);
    if (SNAPSHOT_EVENTS.has(type) && !rewriteOutput(data, snapshotRewrite)) return null;
    return emit(data);
  }

  /** Rewrites the items of the response an event carries (`response.output`); false on a violation. */
  function rewriteOutput(data: ResponseEvent, rewrite: RewriteText): boolean {
    const response = data.response as { output?: unknown } | null | undefined;
    const output = response !== null && typeof response === 'object' ? response.output : undefined;
    // An `output` that is not a list of items (a bare string) is checked whole.
    if (!Array.isArray(output))
      return (
        output == null ||
        guardUnknownBlock({ guard, holder: response as Record<string, unknown>, member: 'output' })
      );
    for (let index = 0; index < output.length; index++) {
      const item: unknown = output[index];
      if (item !== null && typeof item === 'object') {
        if (!rewriteItemTexts(guard, item as OutputItem, rewrite)) return false;
        // An entry that is not an item (a bare string) is checked whole like an unknown block.
      } else if (!guardUnknownBlock({ guard, holder: output, member: index })) return false;
    }
    return true;
  }

  function terminal(data: ResponseEvent): string | null {
    // Texts whose `.done` event never came still reach the caller's deltas before the final snapshot.
    let before = '';
    for (const key of texts.keys()) {
      const released = texts.release(key);
      if (released === null) return null;
      before += released;
    }
    // Every streamed text is finished now: the final rewrite gives released texts, checks the others.
    if (!rewriteOutput(data, texts.finalRewrite().rewrite)) return null;
    return emit(data, before);
  }

  return {
    get complete() {
      return complete;
    },
    onEvent(event: SseEvent): string {
      if (event.data === '[DONE]') return formatSseEvent('[DONE]');
      const data = parseEventObject(event.data) as ResponseEvent;
      if (nextSequence === undefined) {
        const first = data.sequence_number;
        nextSequence = typeof first === 'number' && Number.isSafeInteger(first) && first >= 0 ? first : 0;
      }
      const type = data.type ?? '';
      const gated: GatedOutput = { waits: BETWEEN_TEXTS.has(type) };
      if (type === 'response.output_text.delta' && typeof data.delta === 'string') {
        gated.waits = true;
        gated.text = data.delta;
      }
      ended = undefined;
      const out = transform(data);
      if (out === null) return '';
      if (ended !== undefined) gated.ended = ended;
      if (TERMINAL_EVENTS.has(type) && guard.violation === undefined) {
        // Every text was finished above; a channel opened some other way is checked before the end.
        for (const [, channel] of guard.openChannels()) if (channel.finish() === null) return '';
        complete = true;
      }
      return gate.pass(out, gated) ?? '';
    },
    onEnd(): string {
      const held = gate.release();
      if (held === null) return '';
      // A well-formed stream ends each text with a `.done` event; a stream cut short only gets checked.
      for (const [, channel] of guard.openChannels()) if (channel.finish() === null) return '';
      return held;
    },
    closing(reason: ResponseViolation): string {
      const payload = { type: 'error', sequence_number: sequence(), error: streamErrorPayload(reason) };
      return formatSseEvent(JSON.stringify(payload), 'error');
    },
  };
}
