import { ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { gatewayError } from '../http/api-error.js';
import { pushContentSlots } from './extract-openai-chat.js';
import { type ExtractedRequest, joinSlotTexts, type TextSlot } from './text-slot.js';
import { toolDefinitionSlots } from './tool-definition-slots.js';

/** Nesting the tool-input walk follows (the body's JSON depth is already bounded by the parser). */
const MAX_INPUT_DEPTH = 32;

/** Pushes every string inside a JSON value (objects and arrays, to a bounded depth) as a slot. */
function pushStringLeaves(options: { value: object; role: Role; slots: TextSlot[]; depth: number }): void {
  if (options.depth > MAX_INPUT_DEPTH) return;
  const container = options.value as Record<string, unknown> | unknown[];
  const keys: (string | number)[] = Array.isArray(container)
    ? container.map((_, index) => index)
    : Object.keys(container);
  for (const key of keys) {
    const child = (container as Record<string | number, unknown>)[key];
    if (typeof child === 'string') options.slots.push({ container, key, role: options.role });
    else if (child !== null && typeof child === 'object')
      pushStringLeaves({ ...options, value: child, depth: options.depth + 1 });
  }
}

// Anthropic Messages API: `system` is a string or text blocks; message content is a string or blocks;
// `tool_result` blocks carry tool output (untrusted data); `document` blocks with a text source are
// retrieved documents, and so are the text blocks of a `content` document source and of `search_result`
// blocks (also inside tool results). Caller-sent assistant turns are judged as user text; their
// `tool_use` inputs are checked string by string. `thinking` blocks are sent back unchanged: Anthropic
// verifies their signature, and the model wrote them from checked input.
function pushBlocks(options: { blocks: unknown[]; role: Role; slots: TextSlot[] }): void {
  for (const block of options.blocks) {
    if (block === null || typeof block !== 'object') continue;
    const record = block as Record<string, unknown>;
    if (record.type === 'text' && typeof record.text === 'string') {
      options.slots.push({ container: record, key: 'text', role: options.role });
    } else if (record.type === 'tool_result') {
      // Its content is a string or blocks, which may nest documents and search results.
      if (Array.isArray(record.content))
        pushBlocks({ blocks: record.content, role: 'tool', slots: options.slots });
      else pushContentSlots({ holder: record, key: 'content', role: 'tool', slots: options.slots });
    } else if (record.type === 'search_result' && Array.isArray(record.content)) {
      // Search results (RAG) carry retrieved text in their content blocks.
      pushBlocks({ blocks: record.content, role: 'document', slots: options.slots });
    } else if (record.type === 'document') {
      const source = record.source as Record<string, unknown> | undefined;
      if (source && source.type === 'text' && typeof source.data === 'string') {
        options.slots.push({ container: source, key: 'data', role: 'document' });
      } else if (source && source.type === 'content' && Array.isArray(source.content)) {
        pushBlocks({ blocks: source.content, role: 'document', slots: options.slots });
      }
    } else if (record.type === 'tool_use' && record.input !== null && typeof record.input === 'object') {
      // Tool input of an earlier assistant turn: every string in it, like chat `tool_calls` arguments.
      pushStringLeaves({ value: record.input, role: options.role, slots: options.slots, depth: 0 });
    }
  }
}

/** Extracts checkable texts from an Anthropic `/v1/messages` request body. */
export function extractAnthropicMessages(body: Record<string, unknown>): ExtractedRequest {
  if (typeof body.model !== 'string' || body.model.length === 0) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`model` must be a non-empty string');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`messages` must be a non-empty array');
  }
  const slots: TextSlot[] = [];
  let systemPromptSlots: TextSlot[] | undefined;
  if (typeof body.system === 'string') {
    slots.push({ container: body, key: 'system', role: 'system' });
    systemPromptSlots = slots.slice(-1);
  } else if (Array.isArray(body.system)) {
    const before = slots.length;
    pushBlocks({ blocks: body.system, role: 'system', slots });
    // Blocks of one prompt (split to mark parts for prompt caching): the output guard's leak check
    // needs the whole of it, as for a plain-string system prompt.
    if (slots.length > before) systemPromptSlots = slots.slice(before);
  }
  for (const message of body.messages) {
    if (message === null || typeof message !== 'object') {
      throw gatewayError(ERROR_CODES.BAD_REQUEST, 'each message must be an object');
    }
    const record = message as Record<string, unknown>;
    if (record.role !== 'user' && record.role !== 'assistant') {
      throw gatewayError(ERROR_CODES.BAD_REQUEST, 'message role must be user or assistant');
    }
    if (typeof record.content === 'string') slots.push({ container: record, key: 'content', role: 'user' });
    else if (Array.isArray(record.content)) pushBlocks({ blocks: record.content, role: 'user', slots });
  }
  const tools: string[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) {
      const name = (tool as { name?: unknown } | null)?.name;
      if (typeof name === 'string') tools.push(name);
    }
  }
  const extracted: ExtractedRequest = { model: body.model, stream: body.stream === true, slots, tools };
  if (systemPromptSlots !== undefined) {
    extracted.systemPrompt = joinSlotTexts(systemPromptSlots);
    extracted.systemPromptSlots = systemPromptSlots;
  }
  const toolTexts = toolDefinitionSlots(body);
  if (toolTexts !== undefined) extracted.toolTexts = toolTexts;
  return extracted;
}
