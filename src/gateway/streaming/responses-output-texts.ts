import type { ResponseGuard } from '../guard/response-guard.js';

/**
 * The texts of an OpenAI Responses answer and how the output guard rewrites them: which item members,
 * content parts and stream events carry model text, the channel each text goes through, and the
 * rewriting of whole output items (non-streamed answers and the items repeated in stream events).
 */
export type ResponseEvent = Record<string, unknown> & { type?: string };
export type OutputItem = Record<string, unknown> & { type?: string; id?: string };
export type TextKind = 'text' | 'json';

/**
 * The texts a model writes in a Responses answer (API reference, "Responses object" output items and
 * "Streaming events"), each with the delta event that streams it and the index member that locates it:
 * message `output_text` and `refusal` content parts, reasoning `summary_text` parts and `reasoning_text`
 * content, function-call arguments (JSON) and custom-tool-call input (free text).
 */
export const TEXT_TYPES = {
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
export type TextType = keyof typeof TEXT_TYPES;

/** One model-written text: its guard channel key and how it is streamed. */
export interface TextSlot {
  key: string;
  type: TextType;
  kind: TextKind;
  index: number;
}

export function slotOf(type: TextType, itemId: unknown, index: unknown): TextSlot {
  const spec = TEXT_TYPES[type];
  const at = typeof index === 'number' ? index : 0;
  // Indexed texts (content and summary parts) get one channel per part; arguments and input one per item.
  const key = spec.index === undefined ? `${itemId}:${spec.prefix}` : `${itemId}:${spec.prefix}${at}`;
  return { key, type, kind: spec.kind, index: at };
}

/** Delta events and the text they stream. Maps, so an event type like `constructor` finds nothing. */
export const DELTA_TYPES = new Map<string, TextType>(
  (Object.keys(TEXT_TYPES) as TextType[]).map((type) => [TEXT_TYPES[type].delta, type]),
);
/** `.done` events, the text they end and the member holding the whole text. */
export const DONE_TYPES = new Map<string, { type: TextType; field: string }>([
  ['response.output_text.done', { type: 'text', field: 'text' }],
  ['response.refusal.done', { type: 'refusal', field: 'refusal' }],
  ['response.reasoning_summary_text.done', { type: 'summary', field: 'text' }],
  ['response.reasoning_text.done', { type: 'reasoning', field: 'text' }],
  ['response.function_call_arguments.done', { type: 'args', field: 'arguments' }],
  ['response.custom_tool_call_input.done', { type: 'input', field: 'input' }],
]);

export function indexOf(type: TextType, data: ResponseEvent): unknown {
  const member = TEXT_TYPES[type].index;
  return member === undefined ? undefined : data[member];
}

/** Rewrites a text, or returns null when the response must stop. */
export type RewriteText = (slot: TextSlot, text: string) => string | null;

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
export function dropLogprobs(record: Record<string, unknown>): void {
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

export function rewritePart(options: {
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
export function rewriteItemTexts(guard: ResponseGuard, item: OutputItem, rewrite: RewriteText): boolean {
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
export function finalText(options: {
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
