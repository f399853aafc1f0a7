import type { ResponseGuard, ResponseViolation } from '../guard/response-guard.js';
import type { SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';
import { type StreamTransformer, streamErrorPayload } from './stream-transformer.js';

type ResponseEvent = Record<string, unknown> & { type?: string };
type OutputItem = Record<string, unknown> & { type?: string; id?: string };
type TextKind = 'text' | 'json';

/** The events that end a Responses stream (API reference, "Streaming events"). */
const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/** Events that carry a snapshot of the response before its items are streamed. */
const SNAPSHOT_EVENTS = new Set(['response.created', 'response.in_progress', 'response.queued']);

/**
 * The texts a model writes in a Responses answer (API reference, "Responses object" output items and
 * "Streaming events"), each with the delta event that streams it and the index member that locates it:
 * message `output_text` and `refusal` content parts, reasoning `summary_text` parts and `reasoning_text`
 * content, function-call arguments (JSON) and custom-tool-call input (free text).
 */
const TEXT_TYPES = {
  text: { prefix: '', kind: 'text', delta: 'response.output_text.delta', index: 'content_index' },
  refusal: { prefix: 'refusal:', kind: 'text', delta: 'response.refusal.delta', index: 'content_index' },
  summary: {
    prefix: 'summary:',
    kind: 'text',
    delta: 'response.reasoning_summary_text.delta',
    index: 'summary_index',
  },
  reasoning: {
    prefix: 'reasoning:',
    kind: 'text',
    delta: 'response.reasoning_text.delta',
    index: 'content_index',
  },
  args: { prefix: 'args', kind: 'json', delta: 'response.function_call_arguments.delta', index: undefined },
  input: { prefix: 'input', kind: 'text', delta: 'response.custom_tool_call_input.delta', index: undefined },
} as const;
type TextType = keyof typeof TEXT_TYPES;

/** One model-written text: its guard channel key and how it is streamed. */
interface TextSlot {
  key: string;
  type: TextType;
  kind: TextKind;
  index: number;
}

function slotOf(type: TextType, itemId: unknown, index: unknown): TextSlot {
  const spec = TEXT_TYPES[type];
  const at = typeof index === 'number' ? index : 0;
  // Indexed texts (content and summary parts) get one channel per part; arguments and input one per item.
  const key = spec.index === undefined ? `${itemId}:${spec.prefix}` : `${itemId}:${spec.prefix}${at}`;
  return { key, type, kind: spec.kind, index: at };
}

/** Delta events and the text they stream. Maps, so an event type like `constructor` finds nothing. */
const DELTA_TYPES = new Map<string, TextType>(
  (Object.keys(TEXT_TYPES) as TextType[]).map((type) => [TEXT_TYPES[type].delta, type]),
);
/** `.done` events, the text they end and the member holding the whole text. */
const DONE_TYPES = new Map<string, { type: TextType; field: string }>([
  ['response.output_text.done', { type: 'text', field: 'text' }],
  ['response.refusal.done', { type: 'refusal', field: 'refusal' }],
  ['response.reasoning_summary_text.done', { type: 'summary', field: 'text' }],
  ['response.reasoning_text.done', { type: 'reasoning', field: 'text' }],
  ['response.function_call_arguments.done', { type: 'args', field: 'arguments' }],
  ['response.custom_tool_call_input.done', { type: 'input', field: 'input' }],
]);

function indexOf(type: TextType, data: ResponseEvent): unknown {
  const member = TEXT_TYPES[type].index;
  return member === undefined ? undefined : data[member];
}

/** Rewrites a text, or returns null when the response must stop. */
type RewriteText = (slot: TextSlot, text: string) => string | null;

/** The text type and member of a content part: `refusal`, `reasoning_text`, or any part with a `text`. */
function partText(part: Record<string, unknown>): { type: TextType; field: string } | undefined {
  if (part.type === 'refusal') return { type: 'refusal', field: 'refusal' };
  if (part.type === 'reasoning_text') return { type: 'reasoning', field: 'text' };
  if (typeof part.text === 'string') return { type: 'text', field: 'text' };
  return undefined;
}

/**
 * Log probabilities (`logprobs` of output text, API reference "Responses object") spell the tokens of
 * the text as the upstream wrote it: once the guard changed the text (redacted, restored) they would
 * still spell what was redacted, so they are emptied.
 */
function dropLogprobs(record: Record<string, unknown>): void {
  if (Array.isArray(record.logprobs) && record.logprobs.length > 0) record.logprobs = [];
}

function rewriteMember(options: {
  record: Record<string, unknown>;
  field: string;
  slot: TextSlot;
  rewrite: RewriteText;
}): boolean {
  const value = options.record[options.field];
  if (typeof value !== 'string') return true;
  const text = options.rewrite(options.slot, value);
  if (text === null) return false;
  options.record[options.field] = text;
  if (text !== value) dropLogprobs(options.record);
  return true;
}

function rewritePart(options: {
  part: unknown;
  itemId: unknown;
  index: unknown;
  rewrite: RewriteText;
  summary?: boolean;
}): boolean {
  if (options.part === null || typeof options.part !== 'object') return true;
  const part = options.part as Record<string, unknown>;
  const found = options.summary ? { type: 'summary' as const, field: 'text' } : partText(part);
  if (found === undefined) return true;
  const slot = slotOf(found.type, options.itemId, options.index);
  return rewriteMember({ record: part, field: found.field, slot, rewrite: options.rewrite });
}

function rewriteParts(options: {
  parts: unknown;
  itemId: unknown;
  rewrite: RewriteText;
  summary?: boolean;
}): boolean {
  if (!Array.isArray(options.parts)) return true;
  for (let index = 0; index < options.parts.length; index++) {
    if (!rewritePart({ ...options, part: options.parts[index], index })) return false;
  }
  return true;
}

/**
 * Passes every model-written text of an output item through `rewrite`, and the names of called tools
 * (`function_call`, `custom_tool_call`) through the allowlist. Returns false on a violation.
 */
function rewriteItemTexts(guard: ResponseGuard, item: OutputItem, rewrite: RewriteText): boolean {
  switch (item.type) {
    case 'message':
      return rewriteParts({ parts: item.content, itemId: item.id, rewrite });
    case 'reasoning':
      // `encrypted_content` is opaque to the caller (only the provider can read it): left as sent.
      return (
        rewriteParts({ parts: item.summary, itemId: item.id, rewrite, summary: true }) &&
        rewriteParts({ parts: item.content, itemId: item.id, rewrite })
      );
    case 'function_call':
    case 'custom_tool_call': {
      if (typeof item.name === 'string' && !guard.allowTool(item.name)) return false;
      const type = item.type === 'function_call' ? 'args' : 'input';
      const field = item.type === 'function_call' ? 'arguments' : 'input';
      return rewriteMember({ record: item, field, slot: slotOf(type, item.id, undefined), rewrite });
    }
    default:
      return true;
  }
}

/**
 * Rewrites the texts of an output item (message `output_text` and `refusal` parts, reasoning summaries
 * and reasoning text, function-call arguments, custom-tool-call input) from guarded channels, and checks
 * called tools against the allowlist. Returns false on a violation.
 */
export function rewriteOutputItem(guard: ResponseGuard, item: OutputItem): boolean {
  return rewriteItemTexts(guard, item, (slot, text) =>
    finalText({ guard, key: slot.key, text, kind: slot.kind }),
  );
}

/** The final text of a channel: its released text when it streamed, else the whole text checked now. */
function finalText(options: {
  guard: ResponseGuard;
  key: string;
  text: string;
  kind: TextKind;
}): string | null {
  const channel = options.guard.existing(options.key);
  if (channel === undefined) return options.guard.wholeText(options.text, options.kind);
  if (!channel.finished && channel.finish() === null) return null;
  return channel.released;
}

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
      const data = JSON.parse(event.data) as ResponseEvent;
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
