import { restoreEchoedInstructions } from '../streaming/responses-echo.js';
import { rewriteOutputItem } from '../streaming/responses-output-texts.js';
import {
  ANTHROPIC_MESSAGE_MEMBERS,
  CHAT_ANSWER_MEMBERS,
  EMBEDDINGS_MEMBERS,
  RESPONSE_OBJECT_MEMBERS,
} from './answer-members.js';
import {
  guardOtherMembers as guardOtherBlockMembers,
  handledBlockMembers,
} from './anthropic-block-members.js';
import { guardWebSearchResults } from './anthropic-result-blocks.js';
import { guardUnknownBlock, KNOWN_ANTHROPIC_BLOCKS } from './anthropic-unknown-block.js';
import { guardChatLogprobs } from './chat-logprobs.js';
import { checkedJsonValue } from './checked-json-value.js';
import type { ResponseGuard } from './response-guard.js';
import { type HandledMembers, rewriteUnknownValue } from './rewrite-unknown-value.js';
import { guardTextJunctions, type TextHolder } from './text-junctions.js';

/** The string members `key` of the records in `list` that match `accept`, in order. */
function textHolders(
  list: unknown,
  key: string,
  accept: (record: Record<string, unknown>) => boolean,
): TextHolder[] {
  const holders: TextHolder[] = [];
  if (!Array.isArray(list)) return holders;
  for (const entry of list as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const record = entry as Record<string, unknown>;
    if (typeof record[key] === 'string' && accept(record)) holders.push({ record, key });
  }
  return holders;
}

/** Which API shape a response body has. */
export type ResponseShape = 'chat' | 'responses' | 'anthropic' | 'embeddings';

/**
 * What `guardChatMessage` checks itself in a chat message (OpenAI API reference, "The chat completion
 * object"): text content or text parts, tool calls (names through the allowlist, arguments and custom input
 * as text), the deprecated `function_call`, the audio transcript. Audio `data` is the audio itself
 * (base64), out of reach of a text check. Every other member (`refusal`, reasoning under any name,
 * `annotations` with their URL citations, a member added after this code was written) is walked whole.
 */
const CHAT_CALL: HandledMembers = { name: 'text', arguments: 'text' };
const CHAT_MESSAGE: HandledMembers = {
  content: 'text',
  tool_calls: { function: CHAT_CALL, custom: { name: 'text', input: 'text' } },
  function_call: CHAT_CALL,
  audio: { transcript: 'text', data: 'skip' },
};
const CHAT_MESSAGE_WITH_PARTS: HandledMembers = { ...CHAT_MESSAGE, content: { text: 'text' } };

/** Checks every string a known record holds besides its `handled` members; false on a violation. */
function guardOtherMembers(
  guard: ResponseGuard,
  record: Record<string, unknown>,
  handled: HandledMembers,
): boolean {
  const rewrite = (_path: string, text: string, kind: 'text' | 'json') => guard.wholeText(text, kind);
  return rewriteUnknownValue({ guard, record, rewrite, handled });
}

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
    // Some OpenAI-compatible servers answer with content parts: every text part is checked, and so is
    // where two parts meet.
    for (const part of message.content as Record<string, unknown>[])
      if (part !== null && typeof part === 'object' && !guardMember(guard, part, 'text')) return false;
    if (
      !guardTextJunctions(
        guard,
        textHolders(message.content, 'text', () => true),
      )
    )
      return false;
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
  // Every other member (`refusal`; `reasoning_content` or `reasoning` from servers that return a model's
  // reasoning; URL citations; a member added later) is model output too: nothing is passed unchecked.
  return guardOtherMembers(
    guard,
    message,
    Array.isArray(message.content) ? CHAT_MESSAGE_WITH_PARTS : CHAT_MESSAGE,
  );
}

function guardChat(guard: ResponseGuard, body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.choices)) return guardOtherMembers(guard, body, CHAT_ANSWER_MEMBERS);
  for (const choice of body.choices as { message?: Record<string, unknown> }[]) {
    const message = choice?.message;
    if (message !== null && typeof message === 'object') {
      if (!guardChatMessage(guard, message)) return false;
    } else if (message != null && !guardUnknownBlock({ guard, holder: choice, member: 'message' }))
      // A message that is not an object (a bare string) is checked whole.
      return false;
  }
  // The answer's own members (`id`, `model`, `system_fingerprint`) and each choice's other members.
  if (!guardOtherMembers(guard, body, CHAT_ANSWER_MEMBERS)) return false;
  // Log probabilities list the answer's tokens: after a redaction they would still spell what was
  // redacted, so they are removed; else the texts they spell are checked themselves.
  for (const choice of body.choices as Record<string, unknown>[]) {
    if (choice === null || typeof choice !== 'object' || choice.logprobs == null) continue;
    if (guard.redacted) choice.logprobs = null;
    else if (!guardChatLogprobs(guard, choice)) return false;
  }
  return true;
}

function guardAnthropic(guard: ResponseGuard, body: Record<string, unknown>): boolean {
  if (!guardAnthropicContent(guard, body)) return false;
  // Text blocks follow each other (a cited passage is a block of its own): where two meet is checked too.
  const texts = textHolders(body.content, 'text', (block) => block.type === 'text');
  if (!guardTextJunctions(guard, texts)) return false;
  // The message's own members (`id`, `model`, `stop_sequence`, a member added later).
  return guardOtherMembers(guard, body, ANTHROPIC_MESSAGE_MEMBERS);
}

function guardAnthropicContent(guard: ResponseGuard, body: Record<string, unknown>): boolean {
  // Content that is not a list of blocks (a bare string from some servers) is checked whole.
  if (!Array.isArray(body.content))
    return body.content == null || guardUnknownBlock({ guard, holder: body, member: 'content' });
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
    if (
      block !== null &&
      typeof block === 'object' &&
      KNOWN_ANTHROPIC_BLOCKS.has(String(block.type)) &&
      !guardOtherBlockMembers({ guard, record: block, handled: handledBlockMembers(block.type) })
    )
      return false;
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
      const output = options.body.output;
      // An `output` that is not a list of items (a bare string) is checked whole.
      if (!Array.isArray(output) && output != null)
        return (
          guardUnknownBlock({ guard: options.guard, holder: options.body, member: 'output' }) &&
          guardOtherMembers(options.guard, options.body, RESPONSE_OBJECT_MEMBERS)
        );
      if (Array.isArray(output)) {
        for (let index = 0; index < output.length; index++) {
          const item: unknown = output[index];
          // An entry that is not an item (a bare string) is checked whole like an unknown block.
          if (item !== null && typeof item === 'object') {
            if (!rewriteOutputItem(options.guard, item as Record<string, unknown>)) return false;
          } else if (!guardUnknownBlock({ guard: options.guard, holder: output, member: index }))
            return false;
        }
      }
      // The output text of message items follows on from part to part and item to item.
      const parts: TextHolder[] = [];
      for (const item of textHolders(output, 'type', (record) => record.type === 'message'))
        parts.push(...textHolders(item.record.content, 'text', (part) => part.type === 'output_text'));
      if (!guardTextJunctions(options.guard, parts)) return false;
      // The response's own members (`id`, `model`, `metadata`, `error`, a member added later).
      return guardOtherMembers(options.guard, options.body, RESPONSE_OBJECT_MEMBERS);
    }
    case 'anthropic':
      return guardAnthropic(options.guard, options.body);
    case 'embeddings':
      return guardOtherMembers(options.guard, options.body, EMBEDDINGS_MEMBERS);
    default:
      return true;
  }
}
