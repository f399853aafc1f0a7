import type { ResponseGuard } from '../guard/response-guard.js';
import type { HandledMembers } from '../guard/rewrite-unknown-value.js';
import { rewriteAnnotations } from './responses-annotations.js';
import {
  type OutputItem,
  type RewriteText,
  rewriteMember,
  type StreamedType,
  slotOf,
  type TextKind,
} from './responses-text-types.js';
import { checkToolListing, rewriteToolItem, TOOL_ITEM_MEMBERS } from './responses-tool-items.js';
import { rewriteUnknownItem } from './responses-unknown-item.js';

/**
 * How the output guard rewrites the texts of an OpenAI Responses answer: message content parts
 * (with their citations), reasoning, function and custom tool calls here, the other tool items in
 * `responses-tool-items.ts`, for whole answers and for the items repeated in stream events.
 */
/** The text type and member of a content part: `refusal`, `reasoning_text`, or any part with a `text`. */
function partText(part: Record<string, unknown>): { type: StreamedType; field: string } | undefined {
  if (part.type === 'refusal') return { type: 'refusal', field: 'refusal' };
  if (part.type === 'reasoning_text') return { type: 'reasoning', field: 'text' };
  if (typeof part.text === 'string') return { type: 'text', field: 'text' };
  return undefined;
}

/**
 * Passes the text of a content or summary part (and its citations) through `rewrite`, and every string of
 * a part without a text the gateway knows; false on a violation.
 */
export function rewritePart(options: {
  guard: ResponseGuard;
  part: unknown;
  itemId: unknown;
  index: unknown;
  rewrite: RewriteText;
  summary?: boolean;
}): boolean {
  if (options.part === null || typeof options.part !== 'object') return true;
  const part = options.part as Record<string, unknown>;
  const found = options.summary ? { type: 'summary' as const, field: 'text' } : partText(part);
  if (found === undefined) {
    const at = `part.${typeof options.index === 'number' ? options.index : 0}`;
    const { guard, itemId, rewrite } = options;
    return rewriteUnknownItem({ guard, record: part, itemId, rewrite, at });
  }
  const slot = slotOf(found.type, options.itemId, options.index);
  if (!rewriteMember({ record: part, field: found.field, slot, rewrite: options.rewrite })) return false;
  const { guard, itemId, index: contentIndex, rewrite } = options;
  if (found.type === 'text' && !rewriteAnnotations({ guard, part, itemId, contentIndex, rewrite }))
    return false;
  // The part's other members (a member added after this code was written) are checked too. Log
  // probabilities spell the part's text, which was checked; they are emptied when the guard changed it.
  const handled: HandledMembers = { [found.field]: 'text', logprobs: 'skip' };
  const withAnnotations = found.type === 'text' && Array.isArray(part.annotations);
  const at = `part.${typeof contentIndex === 'number' ? contentIndex : 0}`;
  return rewriteUnknownItem({
    guard,
    record: part,
    itemId,
    rewrite,
    at,
    handled: withAnnotations ? { ...handled, annotations: 'skip' } : handled,
  });
}

function rewriteParts(options: {
  guard: ResponseGuard;
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
 * Passes every model-written text of an output item through `rewrite`, and the tools it calls through
 * the allowlist (function and custom tools by name, MCP tools by name, built-in tools by their type);
 * every string of an item of a type this code does not know is checked too (`rewriteUnknownItem`).
 * Returns false on a violation.
 */
export function rewriteItemTexts(guard: ResponseGuard, item: OutputItem, rewrite: RewriteText): boolean {
  if (!checkToolListing(guard, item)) return false;
  const handled = handledMembers(item);
  if (handled === undefined)
    return rewriteUnknownItem({ guard, record: item, itemId: item.id, rewrite, callsTool: true });
  if (!rewriteKnownItem(guard, item, rewrite)) return false;
  // The members the code for the item's type does not handle (its id and status; a member added after
  // this code was written) are checked like the strings of an unknown item.
  return rewriteUnknownItem({ guard, record: item, itemId: item.id, rewrite, handled });
}

/** The members the code for an item's type checks itself, or undefined for a type it does not know. */
function handledMembers(item: OutputItem): HandledMembers | undefined {
  switch (item.type) {
    case 'message':
      return Array.isArray(item.content) ? PARTS : {};
    case 'reasoning':
      // `encrypted_content` is opaque to the caller (only the provider can read it): left as sent.
      return {
        encrypted_content: 'skip',
        ...(Array.isArray(item.summary) ? { summary: 'skip' } : {}),
        ...(Array.isArray(item.content) ? PARTS : {}),
      };
    case 'compaction':
      return { encrypted_content: 'skip' };
    case 'function_call':
      return { name: 'text', arguments: 'text' };
    case 'custom_tool_call':
      return { name: 'text', input: 'text' };
    default:
      return TOOL_ITEM_MEMBERS.get(String(item.type));
  }
}

/** Content parts are each checked by `rewritePart`, their other members included. */
const PARTS: HandledMembers = { content: 'skip' };

/** The texts of an item of a type this code knows (see `rewriteItemTexts`); false on a violation. */
function rewriteKnownItem(guard: ResponseGuard, item: OutputItem, rewrite: RewriteText): boolean {
  switch (item.type) {
    case 'message':
      return rewriteParts({ guard, parts: item.content, itemId: item.id, rewrite });
    case 'reasoning':
      // `encrypted_content` is opaque to the caller (only the provider can read it): left as sent.
      return (
        rewriteParts({ guard, parts: item.summary, itemId: item.id, rewrite, summary: true }) &&
        rewriteParts({ guard, parts: item.content, itemId: item.id, rewrite })
      );
    case 'compaction':
      // `encrypted_content` is the provider's compacted conversation, opaque to the caller: left as sent.
      return true;
    case 'function_call':
    case 'custom_tool_call': {
      if (typeof item.name === 'string' && !guard.allowTool(item.name)) return false;
      const type = item.type === 'function_call' ? 'args' : 'input';
      const field = item.type === 'function_call' ? 'arguments' : 'input';
      return rewriteMember({ record: item, field, slot: slotOf(type, item.id, undefined), rewrite });
    }
    default:
      return rewriteToolItem(guard, item, rewrite) ?? false;
  }
}

/**
 * Rewrites the texts of an output item (message parts and citations, reasoning, tool-call arguments,
 * inputs, code, commands and outputs) from guarded channels, and checks called tools against the
 * allowlist. Returns false on a violation.
 */
export function rewriteOutputItem(guard: ResponseGuard, item: OutputItem): boolean {
  if (item === null || typeof item !== 'object') return true;
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
