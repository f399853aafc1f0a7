import { restoreEchoedInstructions } from '../streaming/responses-echo.js';
import { rewriteOutputItem } from '../streaming/responses-output-texts.js';
import { guardWebSearchResults } from './anthropic-result-blocks.js';
import { guardUnknownBlock, KNOWN_ANTHROPIC_BLOCKS } from './anthropic-unknown-block.js';
import { checkedJsonValue } from './checked-json-value.js';
import type { ResponseGuard } from './response-guard.js';

/** Which API shape a response body has. */
export type ResponseShape = 'chat' | 'responses' | 'anthropic' | 'embeddings';

/** Members of a chat message that are not model text, or have their own handling below. */
const CHAT_NOT_EXTRA_TEXT = new Set(['role', 'content', 'tool_calls', 'function_call', 'audio']);

function guardToolCall(guard: ResponseGuard, fn: Record<string, unknown> | undefined): boolean {
  if (!fn) return true;
  if (typeof fn.name === 'string' && !guard.allowTool(fn.name)) return false;
  if (typeof fn.arguments === 'string') {
    const text = guard.wholeText(fn.arguments, 'json');
    if (text === null) return false;
    fn.arguments = text;
  }
  return true;
}

/** Checks and restores a string member in place; false on a violation. */
function guardMember(guard: ResponseGuard, record: Record<string, unknown>, key: string): boolean {
  const value = record[key];
  if (typeof value !== 'string') return true;
  const text = guard.wholeText(value, 'text');
  if (text === null) return false;
  record[key] = text;
  return true;
}

function guardChatMessage(guard: ResponseGuard, message: Record<string, unknown>): boolean {
  if (typeof message.content === 'string') {
    if (!guardMember(guard, message, 'content')) return false;
  } else if (Array.isArray(message.content)) {
    // Some OpenAI-compatible servers answer with content parts: every text part is checked.
    for (const part of message.content as Record<string, unknown>[])
      if (part !== null && typeof part === 'object' && !guardMember(guard, part, 'text')) return false;
  }
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls as { function?: Record<string, unknown>; custom?: unknown }[]) {
      if (!guardToolCall(guard, call?.function)) return false;
      // A custom tool call: allowlist on its name, its free-text `input` checked as text.
      const custom = call?.custom as Record<string, unknown> | null | undefined;
      if (custom !== null && typeof custom === 'object') {
        if (typeof custom.name === 'string' && !guard.allowTool(custom.name)) return false;
        if (!guardMember(guard, custom, 'input')) return false;
      }
    }
  }
  // The deprecated `function_call` gets the same allowlist and checks as `tool_calls`.
  const legacy = message.function_call;
  if (
    legacy !== null &&
    typeof legacy === 'object' &&
    !guardToolCall(guard, legacy as Record<string, unknown>)
  )
    return false;
  const audio = message.audio as Record<string, unknown> | null | undefined;
  if (audio !== null && typeof audio === 'object' && !guardMember(guard, audio, 'transcript')) return false;
  // Every other string member (`refusal`; `reasoning_content` or `reasoning` from servers that return a
  // model's reasoning) is model text too: a text field this code does not know is never passed unchecked.
  for (const key of Object.keys(message))
    if (!CHAT_NOT_EXTRA_TEXT.has(key) && !guardMember(guard, message, key)) return false;
  return true;
}

function guardChat(guard: ResponseGuard, body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.choices)) return true;
  for (const choice of body.choices as { message?: Record<string, unknown> }[]) {
    const message = choice?.message;
    if (message !== null && typeof message === 'object' && !guardChatMessage(guard, message)) return false;
  }
  // Log probabilities list the answer's tokens: after a redaction they would still spell what was
  // redacted, so they are removed.
  if (guard.redacted) {
    for (const choice of body.choices as { logprobs?: unknown }[])
      if (choice !== null && typeof choice === 'object' && choice.logprobs != null) choice.logprobs = null;
  }
  return true;
}

function guardAnthropic(guard: ResponseGuard, body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.content)) return true;
  const content = body.content as unknown[];
  for (let index = 0; index < content.length; index++) {
    const block = content[index] as Record<string, unknown> | null;
    if (typeof block?.type !== 'string' || !KNOWN_ANTHROPIC_BLOCKS.has(block.type)) {
      // A block type this code does not know is never passed unchecked: every string in it is checked.
      if (!guardUnknownBlock({ guard, holder: content, member: index })) return false;
    } else if (block.type === 'text') {
      if (!guardMember(guard, block, 'text')) return false;
    } else if (block.type === 'thinking') {
      // Extended thinking is model text the caller receives: checked like the answer.
      if (!guardMember(guard, block, 'thinking')) return false;
    } else if (block.type === 'web_search_tool_result') {
      if (!guardWebSearchResults(guard, block)) return false;
    } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      if (typeof block.name === 'string' && !guard.allowTool(block.name)) return false;
      // Tool input is an object: its JSON text is checked (redactions kept, placeholders restored).
      const checked = checkedJsonValue(guard, block.input ?? {});
      if (checked === null) return false;
      block.input = 'value' in checked ? checked.value : checked.text;
    }
  }
  return true;
}

/**
 * Runs the output guard over a complete (non-streamed) response body in place: checks and restores
 * assistant texts and tool-call arguments. Returns false on a violation (see `guard.violation`).
 */
export function guardWholeResponse(options: {
  shape: ResponseShape;
  guard: ResponseGuard;
  body: Record<string, unknown>;
}): boolean {
  switch (options.shape) {
    case 'chat':
      return guardChat(options.guard, options.body);
    case 'responses': {
      restoreEchoedInstructions(options.guard, options.body);
      if (!Array.isArray(options.body.output)) return true;
      for (const item of options.body.output) if (!rewriteOutputItem(options.guard, item)) return false;
      return true;
    }
    case 'anthropic':
      return guardAnthropic(options.guard, options.body);
    default:
      return true;
  }
}
