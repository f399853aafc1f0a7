import { CHAT_CHUNK_MEMBERS } from '../guard/answer-members.js';
import { guardUnknownBlock } from '../guard/anthropic-unknown-block.js';
import { checkedUpstreamError } from '../guard/checked-upstream-error.js';
import type { ResponseGuard, ResponseViolation, TextChannel } from '../guard/response-guard.js';
import { type HandledMembers, isPlainWords, rewriteUnknownValue } from '../guard/rewrite-unknown-value.js';
import {
  type ChatChunkTemplate,
  fillChatChunkTemplate,
  learnChatChunkTemplate,
  matchChatChunkTemplate,
} from './chat-chunk-template.js';
import { parseEventObject } from './parse-event-object.js';
import type { SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';
import { isFilterViolation, type StreamTransformer, streamErrorPayload } from './stream-transformer.js';

interface ToolCallDelta {
  index?: number;
  function?: { name?: unknown; arguments?: unknown };
  /** A custom tool call (free-text `input`); the API streams function calls, this is checked all the same. */
  custom?: { name?: unknown; input?: unknown };
}
interface ChoiceDelta {
  index?: number;
  delta?:
    | (Record<string, unknown> & {
        content?: unknown;
        tool_calls?: ToolCallDelta[];
        function_call?: { name?: unknown; arguments?: unknown };
      })
    | null;
  finish_reason?: string | null;
}
interface ChatChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: ChoiceDelta[];
  error?: unknown;
}

const META_KEYS = new Set([
  'id',
  'object',
  'created',
  'model',
  'choices',
  'system_fingerprint',
  'service_tier',
]);

function isMetaKey(key: string): boolean {
  return META_KEYS.has(key);
}

/** Channel key suffix of the deprecated `function_call` arguments. */
const FUNCTION_CALL_CHANNEL = 'function_call';
/** Channel key prefix of custom tool-call input (free text), by tool-call index. */
const CUSTOM_CHANNEL = 'custom:';
/** Channel key prefix of the other text members (so no member name can pose as another channel). */
const FIELD_CHANNEL = 'field:';
/** Channel key suffix of the streamed audio transcript (`delta.audio.transcript`). */
const AUDIO_CHANNEL = 'audio';

/**
 * What `transformChoice` handles in the objects of a delta: tool calls (names through the allowlist,
 * arguments and custom input streamed through their channels), the deprecated `function_call`, and the
 * audio transcript (streamed through its channel; `data` is the audio itself, base64, out of reach of a
 * text check). Their other members (a call's `id`, a member added after this code was written) are walked.
 */
const CHAT_CALL: HandledMembers = { name: 'text', arguments: 'text' };
const DELTA_OBJECTS: HandledMembers = {
  tool_calls: { function: CHAT_CALL, custom: { name: 'text', input: 'text' } },
  function_call: CHAT_CALL,
  audio: { transcript: 'text', data: 'skip' },
};

/**
 * Delta members that are not text the model writes: the role, and members with their own handling.
 * Any other string member is checked as text, so a text field this code does not know yet (providers
 * add reasoning fields under several names) is never passed on unchecked.
 */
const NOT_EXTRA_TEXT = new Set(['role', 'content', 'tool_calls', 'function_call', 'audio']);

function isExtraTextMember(key: string): boolean {
  return !NOT_EXTRA_TEXT.has(key);
}

/**
 * Checks every member of a delta that the code above does not handle: objects and arrays (URL citations
 * in `annotations`, a member added after this code was written), the members of tool calls and audio
 * besides their streamed texts, and a `role` that is not a plain word. Each is a whole value sent in one
 * chunk, so each is checked whole. String members went through their channels. False on a violation.
 */
function otherDeltaMembers(guard: ResponseGuard, delta: Record<string, unknown>): boolean {
  // No prototype: a member named `__proto__` becomes an own entry like any other.
  const handled: Record<string, HandledMembers[string]> = Object.assign(Object.create(null), DELTA_OBJECTS);
  for (const key of Object.keys(delta))
    if (key !== 'role' && typeof delta[key] === 'string') handled[key] = 'text';
  const rewrite = (_path: string, text: string, kind: 'text' | 'json') => guard.wholeText(text, kind);
  return rewriteUnknownValue({ guard, record: delta, rewrite, handled });
}

/** A default-type SSE event (`formatSseEvent`) cut around the template's literal. */
interface SseFrame {
  head: string;
  tail: string;
}

/**
 * The event `formatSseEvent` writes for a filled template, cut around the literal: one `data:` line when
 * neither side of the template holds a line break (else undefined: `formatSseEvent` splits the lines).
 * Saves flattening and scanning each delta's event for line breaks.
 */
function sseFrame(template: ChatChunkTemplate): SseFrame | undefined {
  const { prefix, suffix } = template;
  if (/[\r\n]/.test(prefix) || /[\r\n]/.test(suffix)) return undefined;
  return { head: `data: ${prefix}`, tail: `${suffix}\n\n` };
}

/** Choice members `transformChoice` handles; a choice with any other member has it walked. */
const CHOICE_KEYS = new Set(['index', 'delta', 'logprobs', 'finish_reason']);

/**
 * True when a chunk's members besides `choices` are exactly those of the last chunk whose members were
 * checked and left unchanged (`checked`), each a string, number, boolean or null: providers repeat the
 * same `id`, `model` and fingerprint in every chunk, so the check of the first one holds for them all.
 */
function sameTopLevel(chunk: Record<string, unknown>, checked: Record<string, unknown> | undefined): boolean {
  if (checked === undefined) return false;
  let count = 0;
  for (const key of Object.keys(chunk)) {
    if (key === 'choices') continue;
    const value = chunk[key];
    if ((value !== null && typeof value === 'object') || !Object.hasOwn(checked, key)) return false;
    if (checked[key] !== value) return false;
    count++;
  }
  return count === Object.keys(checked).length;
}

/** The members of a chunk besides `choices`, when each is a string, number, boolean or null. */
function topLevelOf(chunk: Record<string, unknown>): Record<string, unknown> | undefined {
  const top: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(chunk)) {
    if (key === 'choices') continue;
    const value = chunk[key];
    if (value !== null && typeof value === 'object') return undefined;
    top[key] = value;
  }
  return top;
}

/** True when every choice has only the members `transformChoice` handles, `finish_reason` plain words. */
function plainChoices(choices: readonly ChoiceDelta[]): boolean {
  for (const choice of choices) {
    if (choice === null || typeof choice !== 'object') return false;
    for (const key of Object.keys(choice)) if (!CHOICE_KEYS.has(key)) return false;
    if (typeof choice.index !== 'number' && choice.index !== undefined) return false;
    const finish = choice.finish_reason;
    if (finish !== null && finish !== undefined && !(typeof finish === 'string' && isPlainWords(finish)))
      return false;
  }
  return true;
}

function isEmptyChoice(choice: ChoiceDelta): boolean {
  if (choice.finish_reason !== null && choice.finish_reason !== undefined) return false;
  const logprobs = (choice as { logprobs?: unknown }).logprobs;
  if (logprobs !== null && logprobs !== undefined) return false;
  const delta = choice.delta;
  if (delta === null || delta === undefined) return true;
  // Text members whose text is being held back are empty strings: nothing for the caller yet.
  for (const key of Object.keys(delta)) if (key === 'role' || delta[key] !== '') return false;
  return true;
}

/**
 * Guards an OpenAI Chat Completions stream (`chat.completion.chunk` objects, then `data: [DONE]`, per the
 * OpenAI API reference "Streaming"): content deltas and tool-call argument deltas are checked and
 * restored per choice; held text is released in the chunk that carries `finish_reason`. A violation ends
 * the stream with `finish_reason: "content_filter"` and an SSE `error` event.
 */
export function createOpenAIChatStream(guard: ResponseGuard): StreamTransformer {
  let meta: { id?: string; object: string; created?: number; model?: string } = {
    object: 'chat.completion.chunk',
  };

  function flushChoice(choice: ChoiceDelta): boolean {
    const index = choice.index ?? 0;
    const prefix = `${index}:`;
    for (const [key, channel] of guard.openChannels()) {
      if (!key.startsWith(prefix)) continue;
      const rest = channel.finish();
      if (rest === null) return false;
      if (rest.length === 0) continue;
      choice.delta ??= {};
      const kind = key.slice(prefix.length);
      if (kind.startsWith('tool:')) {
        const toolIndex = Number(kind.slice(5));
        choice.delta.tool_calls ??= [];
        choice.delta.tool_calls.push({ index: toolIndex, function: { arguments: rest } });
      } else if (kind.startsWith(CUSTOM_CHANNEL)) {
        const toolIndex = Number(kind.slice(CUSTOM_CHANNEL.length));
        choice.delta.tool_calls ??= [];
        choice.delta.tool_calls.push({ index: toolIndex, custom: { input: rest } });
      } else if (kind === AUDIO_CHANNEL) {
        const audio = choice.delta.audio;
        const record = audio !== null && typeof audio === 'object' ? (audio as Record<string, unknown>) : {};
        record.transcript = (typeof record.transcript === 'string' ? record.transcript : '') + rest;
        choice.delta.audio = record;
      } else if (kind === FUNCTION_CALL_CHANNEL) {
        const call = choice.delta.function_call ?? {};
        call.arguments = (typeof call.arguments === 'string' ? call.arguments : '') + rest;
        choice.delta.function_call = call;
      } else {
        // `content`, and the other text members (refusal, reasoning) into the member they came from.
        const member = kind.startsWith(FIELD_CHANNEL) ? kind.slice(FIELD_CHANNEL.length) : kind;
        const previous = choice.delta[member];
        choice.delta[member] = (typeof previous === 'string' ? previous : '') + rest;
      }
    }
    return true;
  }

  function transformChoice(choice: ChoiceDelta): boolean {
    const index = choice.index ?? 0;
    // A delta that is not an object (a bare string) is checked whole.
    if (choice.delta != null && (typeof choice.delta !== 'object' || Array.isArray(choice.delta))) {
      const holder = choice as unknown as Record<string, unknown>;
      if (!guardUnknownBlock({ guard, holder, member: 'delta' })) return false;
      return choice.finish_reason == null || flushChoice(choice);
    }
    const delta = choice.delta;
    if (delta) {
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        const text = guard.channel(`${index}:content`, 'text').push(delta.content);
        if (text === null) return false;
        delta.content = text;
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          const custom = call.custom;
          if (custom !== null && typeof custom === 'object') {
            if (typeof custom.name === 'string' && !guard.allowTool(custom.name)) return false;
            if (typeof custom.input === 'string' && custom.input.length > 0) {
              const text = guard
                .channel(`${index}:${CUSTOM_CHANNEL}${call.index ?? 0}`, 'text')
                .push(custom.input);
              if (text === null) return false;
              custom.input = text;
            }
          }
          const fn = call.function;
          if (fn === undefined) continue;
          if (typeof fn.name === 'string' && !guard.allowTool(fn.name)) return false;
          if (typeof fn.arguments === 'string' && fn.arguments.length > 0) {
            const text = guard.channel(`${index}:tool:${call.index ?? 0}`, 'json').push(fn.arguments);
            if (text === null) return false;
            fn.arguments = text;
          }
        }
      }
      // The deprecated `function_call` (one call per choice) gets the same allowlist and checks.
      const legacy = delta.function_call;
      if (legacy !== null && typeof legacy === 'object') {
        if (typeof legacy.name === 'string' && !guard.allowTool(legacy.name)) return false;
        if (typeof legacy.arguments === 'string' && legacy.arguments.length > 0) {
          const text = guard.channel(`${index}:${FUNCTION_CALL_CHANNEL}`, 'json').push(legacy.arguments);
          if (text === null) return false;
          legacy.arguments = text;
        }
      }
      // The audio's transcript is streamed in pieces like content: a key split over two never passes.
      const audio = delta.audio as Record<string, unknown> | null | undefined;
      if (audio !== null && typeof audio === 'object' && typeof audio.transcript === 'string') {
        if (audio.transcript.length > 0) {
          const text = guard.channel(`${index}:${AUDIO_CHANNEL}`, 'text').push(audio.transcript);
          if (text === null) return false;
          audio.transcript = text;
        }
      }
      // Every other text member the model writes (`refusal`; `reasoning_content` or `reasoning` from
      // servers that stream a model's reasoning) goes through its own guarded channel.
      let objects = false;
      for (const key of Object.keys(delta)) {
        const value = delta[key];
        if (typeof value !== 'string') {
          objects ||= value !== null && typeof value === 'object';
          continue;
        }
        if (!isExtraTextMember(key)) {
          objects ||= key === 'role' && !isPlainWords(value);
          continue;
        }
        if (value.length === 0) continue;
        const text = guard.channel(`${index}:${FIELD_CHANNEL}${key}`, 'text').push(value);
        if (text === null) return false;
        delta[key] = text;
      }
      if (objects && !otherDeltaMembers(guard, delta)) return false;
    }
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) return flushChoice(choice);
    return true;
  }

  /** The members besides `choices` of the last chunk the check left as sent (see `sameTopLevel`). */
  let checkedTopLevel: Record<string, unknown> | undefined;

  /**
   * Checks the chunk's own members (`id`, `model`, `system_fingerprint`, a member added later) and each
   * choice's members besides those `transformChoice` handles; false on a violation.
   */
  function checkTopLevel(chunk: Record<string, unknown>): boolean {
    if (guard.mode !== 'audit') delete chunk.obfuscation;
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as ChoiceDelta[]) : undefined;
    const repeated = sameTopLevel(chunk, checkedTopLevel);
    if (repeated && (choices === undefined || plainChoices(choices))) return true;
    const before = repeated ? checkedTopLevel : topLevelOf(chunk);
    const rewrite = (_path: string, text: string, kind: 'text' | 'json') => guard.wholeText(text, kind);
    if (!rewriteUnknownValue({ guard, record: chunk, rewrite, handled: CHAT_CHUNK_MEMBERS })) return false;
    checkedTopLevel = before !== undefined && sameTopLevel(chunk, before) ? before : undefined;
    return true;
  }

  let complete = false;
  /**
   * The learned chunk shape, its channel key, (once used) the channel itself and, when the chunk is one
   * line, the SSE event around its literal (`sseFrame`).
   */
  let template:
    | (ChatChunkTemplate & { channel: string; open?: TextChannel; frame: SseFrame | undefined })
    | undefined;
  return {
    get complete() {
      return complete;
    },
    onEvent(event: SseEvent): string {
      if (event.data === '[DONE]') {
        const rest = this.onEnd();
        if (guard.violation === undefined) complete = true;
        return `${rest}data: [DONE]\n\n`;
      }
      if (template !== undefined && event.event === undefined) {
        const content = matchChatChunkTemplate(template, event.data);
        if (content !== undefined) {
          // Same shape as the chunk the template came from: only the content differs.
          if (content.length === 0) return '';
          template.open ??= guard.channel(template.channel, 'text');
          const text = template.open.push(content);
          if (text === null || text.length === 0) return '';
          const { frame } = template;
          // A JSON string literal holds no raw line break, so the event is the frame around it.
          if (frame !== undefined) return `${frame.head}${JSON.stringify(text)}${frame.tail}`;
          return formatSseEvent(fillChatChunkTemplate(template, text));
        }
      }
      const chunk = parseEventObject(event.data) as ChatChunk;
      if (chunk.error !== undefined) {
        // Its message is upstream text like any answer: checked and restored; short identifiers kept.
        const error = checkedUpstreamError({ guard, error: chunk.error, fields: ['type', 'param', 'code'] });
        return error === null ? '' : formatSseEvent(JSON.stringify({ error }), event.event);
      }
      const learned =
        event.event === undefined
          ? learnChatChunkTemplate(event.data, chunk as Record<string, unknown>)
          : undefined;
      if (!checkTopLevel(chunk as Record<string, unknown>)) return '';
      // Only a chunk whose members the check left as sent may become the template: the template repeats
      // the upstream's own text around the content.
      if (learned !== undefined && checkedTopLevel !== undefined)
        template = {
          ...learned,
          channel: `${chunk.choices?.[0]?.index ?? 0}:content`,
          frame: sseFrame(learned),
        };
      meta = {
        id: chunk.id,
        object: chunk.object ?? meta.object,
        created: chunk.created,
        model: chunk.model,
      };
      if (Array.isArray(chunk.choices)) {
        for (const choice of chunk.choices) {
          if (!transformChoice(choice)) return '';
          // Log probabilities list the answer's tokens as they arrive, before the held-back text is
          // checked: passing them on would leak what the guard may still redact or block.
          if (guard.mode !== 'audit' && (choice as { logprobs?: unknown }).logprobs != null)
            (choice as { logprobs?: unknown }).logprobs = null;
        }
        // A chunk whose only content is being held back carries nothing: skip it (fewer writes).
        if (
          chunk.choices.length > 0 &&
          chunk.choices.every(isEmptyChoice) &&
          Object.keys(chunk).every(isMetaKey)
        )
          return '';
      }
      return formatSseEvent(JSON.stringify(chunk));
    },
    onEnd(): string {
      const open = guard.openChannels();
      if (open.length === 0) return '';
      const choices = new Map<number, ChoiceDelta>();
      for (const [key] of open) {
        const index = Number(key.slice(0, key.indexOf(':')));
        if (!choices.has(index)) choices.set(index, { index, delta: {}, finish_reason: null });
      }
      for (const choice of choices.values()) if (!flushChoice(choice)) return '';
      return formatSseEvent(JSON.stringify({ ...meta, choices: [...choices.values()] }));
    },
    closing(reason: ResponseViolation): string {
      const error = formatSseEvent(JSON.stringify({ error: streamErrorPayload(reason) }), 'error');
      if (!isFilterViolation(reason)) return error;
      const finish = { ...meta, choices: [{ index: 0, delta: {}, finish_reason: 'content_filter' }] };
      return formatSseEvent(JSON.stringify(finish)) + error;
    },
  };
}
