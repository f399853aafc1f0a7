import {
  CITATION_MEMBERS,
  guardOtherMembers,
  handledBlockMembers,
} from '../guard/anthropic-block-members.js';
import { guardWebSearchResults } from '../guard/anthropic-result-blocks.js';
import { guardUnknownBlock, KNOWN_ANTHROPIC_BLOCKS } from '../guard/anthropic-unknown-block.js';
import { checkedJsonValue } from '../guard/checked-json-value.js';
import { checkedUpstreamError } from '../guard/checked-upstream-error.js';
import type { ResponseGuard, ResponseViolation, TextChannel } from '../guard/response-guard.js';
import { type HandledMembers, isPlainWords, rewriteUnknownValue } from '../guard/rewrite-unknown-value.js';
import {
  type DeltaShape,
  KNOWN_DELTA_SHAPES,
  TEXT_DELTA_SHAPE,
  textDeltaShape,
} from './anthropic-delta-shapes.js';
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
import { createTextJunctionGate, type GatedOutput, NOT_GATED } from './text-junction-gate.js';

type AnthropicEvent = Record<string, unknown> & { type?: string; index?: number };

/** A text delta's template: its shape, the content block it belongs to, and that block's channel. */
type TextDeltaTemplate = StringFieldTemplate & { index: number; open?: TextChannel };

/** Events whose members the transformer knows; any other event has every string in it checked. */
const KNOWN_EVENTS = new Set([
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

/**
 * The members of the deltas that the code below handles: a signature is opaque (it signs the thinking for
 * the provider); a citation is sent whole, so it is checked whole (see `CITATION_MEMBERS`).
 */
const SIGNATURE_DELTA: HandledMembers = { delta: { signature: 'skip' } };
const CITATIONS_DELTA: HandledMembers = { delta: { citation: CITATION_MEMBERS } };
/** An event whose `delta` or `content_block` was checked by its own code. */
const DELTA_HANDLED: HandledMembers = { delta: 'skip' };
const BLOCK_HANDLED: HandledMembers = { content_block: 'skip' };
/** Text deltas by member: `{ delta: { text: 'text' } }`, made once per member name. */
const textDeltas = new Map<string, HandledMembers>();

function textDeltaMembers(member: string): HandledMembers {
  let handled = textDeltas.get(member);
  if (handled === undefined) {
    handled = { delta: { [member]: 'text' } };
    if (textDeltas.size < 64) textDeltas.set(member, handled);
  }
  return handled;
}

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
 * True for a delta event of the documented shape: `type`, `index` and a `delta` holding a plain-word
 * `type` and one string (its text, handled by its channel). Such an event has no other member to check.
 */
function isPlainTextDelta(event: AnthropicEvent): boolean {
  if (typeof event.index !== 'number' || !hasExactKeys(event, ['type', 'index', 'delta'])) return false;
  const delta = event.delta as Record<string, unknown> | null;
  if (delta === null || typeof delta !== 'object' || Array.isArray(delta)) return false;
  if (typeof delta.type !== 'string' || !isPlainWords(delta.type)) return false;
  const shape = textDeltaShape(delta);
  return shape !== undefined;
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
 * is opaque and passes as it is; a `citations_delta` is checked whole, its URL as a link); held text is
 * released in one more delta before `content_block_stop`. Text and tool input that a block starts with,
 * and the message of an upstream `error` event, are checked and restored too. Nothing this code does not
 * know passes unchecked: a block of an unknown type has every string checked when it starts (its `name`
 * through the tool allowlist), a delta of an unknown type that carries text is streamed through a guarded
 * channel of its own, any other unknown delta, `message_start` and unknown events are checked whole.
 * The members of known blocks, deltas and events that this code does not handle (a block's `citations`,
 * a member added after this code was written) are checked whole as well (`guardOtherMembers`).
 * A violation sends `message_delta` with stop_reason `refusal` and an `error` event. `message_stop`
 * completes the stream: the caller's response ends with it, without waiting for the upstream to close
 * its body.
 */
export function createAnthropicStream(guard: ResponseGuard): StreamTransformer {
  /**
   * The streamed texts of each block, by channel key: a block's text, thinking or tool input goes through
   * the channel `${index}`; a delta type this code does not know through `${index}/${type}`. The shape
   * is the delta that releases held text again; a channel without one is a block's text.
   */
  const shapes = new Map<string, { index: number; shape: DeltaShape }>();
  let complete = false;
  let template: TextDeltaTemplate | undefined;
  /** Where two text blocks meet, output waits until their junction is checked (see `TextJunctionGate`). */
  const gate = createTextJunctionGate(guard);
  /** What the event being handled is for the gate: answer text it carried, whether it may wait, a text it ended. */
  let gated: GatedOutput = NOT_GATED;

  function shapeBlock(index: number, shape: DeltaShape): void {
    if (!shapes.has(`${index}`)) shapes.set(`${index}`, { index, shape });
  }

  /** Finishes a streamed text: its held rest as one more delta ('' when none), null on a violation. */
  function flushChannel(key: string): string | null {
    const channel = guard.existing(key);
    if (channel === undefined || channel.finished) return '';
    const rest = channel.finish();
    if (rest === null) return null;
    if (rest.length === 0) return '';
    const known = shapes.get(key);
    const shape = known?.shape ?? TEXT_DELTA_SHAPE;
    const delta = { type: shape.type, [shape.member]: rest };
    return formatSseEvent(
      JSON.stringify({ type: 'content_block_delta', index: known?.index ?? Number(key), delta }),
      'content_block_delta',
    );
  }

  /** Finishes the open texts of one block (every block when `index` is undefined). */
  function flushBlocks(index?: number): string | null {
    let out = '';
    for (const [key] of guard.openChannels()) {
      if (index !== undefined && (shapes.get(key)?.index ?? Number(key)) !== index) continue;
      const flushed = flushChannel(key);
      if (flushed === null) return null;
      out += flushed;
    }
    return out;
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

  /**
   * A delta sent on, after the guard changed (or checked) it in place: the members its code does not
   * handle (`handled`; a member added to the event or the delta after this code was written) are checked
   * whole first. The documented shape (`type`, `index`, `delta` with `type` and the text) has none.
   */
  function deltaEvent(data: AnthropicEvent, handled: HandledMembers): string | null {
    if (!isPlainTextDelta(data) && !guardOtherMembers({ guard, record: data, handled })) return null;
    return formatSseEvent(JSON.stringify(data), 'content_block_delta');
  }

  /**
   * A delta type this code does not know. One that carries a piece of text (one string member besides
   * `type`, the shape of every documented delta) goes through a guarded channel of its own, like known
   * text, and its held rest is released in the same shape before the block ends. Any other delta is a
   * whole object: every string in it is checked at once.
   */
  function unknownDelta(data: AnthropicEvent, index: number, delta: Record<string, unknown>): string | null {
    const shape = textDeltaShape(delta);
    if (shape === undefined)
      return guardUnknownBlock({ guard, holder: data, member: 'delta' })
        ? deltaEvent(data, DELTA_HANDLED)
        : null;
    const key = `${index}/${shape.type}`;
    if (!shapes.has(key)) shapes.set(key, { index, shape });
    const text = guard.channel(key, 'text').push(delta[shape.member] as string);
    if (text === null) return null;
    if (text.length === 0) return '';
    delta[shape.member] = text;
    return deltaEvent(data, textDeltaMembers(shape.member));
  }

  function blockStart(data: AnthropicEvent, index: number): string | null {
    // The event's own members besides its block (a member added after this code was written).
    if (!guardOtherMembers({ guard, record: data, handled: BLOCK_HANDLED })) return null;
    const block = data.content_block as Record<string, unknown> | undefined;
    if (typeof block?.type !== 'string' || !KNOWN_ANTHROPIC_BLOCKS.has(block.type)) {
      // A block type this code does not know: every string it starts with is checked whole; its deltas
      // are checked as they come (known ones in the block's channel, unknown ones in their own).
      if (!guardUnknownBlock({ guard, holder: data, member: 'content_block' })) return null;
    } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      shapeBlock(index, KNOWN_DELTA_SHAPES.get('input_json_delta') as DeltaShape);
      if (typeof block.name === 'string' && !guard.allowTool(block.name)) return null;
      if (!blockMembers(block)) return null;
      if (!isEmptyInput(block.input)) return toolBlockStart(data, block, index);
    } else if (block.type === 'web_search_tool_result') {
      if (!guardWebSearchResults(guard, block)) return null;
    } else if (block.type === 'thinking' || block.type === 'text') {
      const member = block.type;
      shapeBlock(index, KNOWN_DELTA_SHAPES.get(`${member}_delta`) as DeltaShape);
      // A block may start with text in it (the docs show it empty): that text is checked too.
      const value = block[member];
      if (member === 'text') gated = { waits: true, ...(typeof value === 'string' ? { text: value } : {}) };
      if (typeof value === 'string' && value.length > 0) {
        const text = guard.channel(`${index}`, 'text').push(value);
        if (text === null) return null;
        block[member] = text;
      }
    }
    const tool = block?.type === 'tool_use' || block?.type === 'server_tool_use';
    if (
      block !== undefined &&
      block !== null &&
      !tool &&
      KNOWN_ANTHROPIC_BLOCKS.has(String(block.type)) &&
      !blockMembers(block)
    )
      return null;
    return formatSseEvent(JSON.stringify(data), 'content_block_start');
  }

  /**
   * Checks the members of a known block that its own code does not handle (`citations`, an id, a member
   * added after this code was written); false on a violation.
   */
  function blockMembers(block: Record<string, unknown>): boolean {
    return guardOtherMembers({ guard, record: block, handled: handledBlockMembers(block.type) });
  }

  function blockDelta(data: AnthropicEvent, index: number): string | null {
    if (data.delta === undefined) return deltaEvent(data, DELTA_HANDLED);
    const delta = data.delta as Record<string, unknown> | null;
    if (delta === null || typeof delta !== 'object' || Array.isArray(delta))
      return guardUnknownBlock({ guard, holder: data, member: 'delta' })
        ? deltaEvent(data, DELTA_HANDLED)
        : null;
    const type = typeof delta.type === 'string' ? delta.type : '';
    if (type === 'signature_delta') return deltaEvent(data, SIGNATURE_DELTA);
    if (type === 'citations_delta') return deltaEvent(data, CITATIONS_DELTA);
    const shape = KNOWN_DELTA_SHAPES.get(type);
    if (shape === undefined || typeof delta[shape.member] !== 'string')
      return unknownDelta(data, index, delta);
    // Text, thinking (extended thinking reaches the caller too) and tool input, checked and restored.
    shapeBlock(index, shape);
    if (shape.type === 'text_delta') gated = { waits: true, text: delta[shape.member] as string };
    const kind = shape.type === 'input_json_delta' ? 'json' : 'text';
    const text = guard.channel(`${index}`, kind).push(delta[shape.member] as string);
    if (text === null) return null;
    if (text.length === 0) return '';
    delta[shape.member] = text;
    return deltaEvent(data, textDeltaMembers(shape.member));
  }

  function transform(data: AnthropicEvent): string | null {
    const index = data.index ?? 0;
    switch (data.type) {
      case 'content_block_start':
        return blockStart(data, index);
      case 'content_block_delta':
        return blockDelta(data, index);
      case 'error': {
        // An upstream's own error event ("Streaming Messages", error events): its message is upstream
        // text, so it is checked and restored; only the error type is kept with it.
        const error = checkedUpstreamError({ guard, error: data.error, fields: ['type'] });
        if (error === null) return null;
        const checked = { type: 'error', error: { type: error.type ?? 'api_error', message: error.message } };
        return formatSseEvent(JSON.stringify(checked), 'error');
      }
      case 'content_block_stop': {
        const before = flushBlocks(index);
        if (before === null || !guardOtherMembers({ guard, record: data, handled: {} })) return null;
        // The end of a text block is checked with the start of the next one before it is sent.
        if (shapes.get(`${index}`)?.shape.type === 'text_delta')
          gated = { waits: false, ended: guard.existing(`${index}`)?.tail ?? '' };
        return before + formatSseEvent(JSON.stringify(data), data.type);
      }
      case 'message_delta':
      case 'message_stop': {
        // Their members (why the turn ended, usage, a member added later) are checked like unknown ones.
        const before = flushBlocks();
        if (before === null || !guardOtherMembers({ guard, record: data, handled: {} })) return null;
        return before + formatSseEvent(JSON.stringify(data), data.type);
      }
      default:
        break;
    }
    if (data.type === 'ping') gated = { waits: true };
    if (!KNOWN_EVENTS.has(data.type ?? '') || data.type === 'ping') {
      // `message_start` (whose message may already hold content), `ping` and event types this code does
      // not know: every string in them is checked whole.
      const rewrite = (_path: string, text: string, kind: 'text' | 'json') => guard.wholeText(text, kind);
      if (!rewriteUnknownValue({ guard, record: data, rewrite })) return null;
    }
    return formatSseEvent(JSON.stringify(data), data.type);
  }

  function handle(event: SseEvent): string {
    if (template !== undefined && event.event === 'content_block_delta') {
      const text = matchStringFieldTemplate(template, event.data);
      if (text !== undefined) {
        // Same shape as the delta the template came from: only the text differs.
        gated = { waits: true, text };
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
  }

  return {
    get complete() {
      return complete;
    },
    onEvent(event: SseEvent): string {
      gated = NOT_GATED;
      const out = handle(event);
      if (guard.violation !== undefined) return '';
      return gate.pass(out, gated) ?? '';
    },
    onEnd(): string {
      const held = gate.release();
      if (held === null) return '';
      return held + (flushBlocks() ?? '');
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
