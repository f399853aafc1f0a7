import { ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { gatewayError } from '../http/api-error.js';
import { type ExtractedRequest, joinSlotTexts, type TextSlot } from './text-slot.js';
import { toolDefinitionSlots } from './tool-definition-slots.js';

// Roles per the OpenAI Chat Completions API: system/developer set instructions; tool/function carry
// tool results (untrusted data, judged for indirect injection); assistant turns sent by the caller are
// caller-controlled and judged as user text (forged turns are a known injection route).
const ROLE_MAP: Record<string, Role> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'user',
  tool: 'tool',
  function: 'tool',
};

/**
 * Pushes the text of a `content` (a string, or an array of parts) as slots. Every text a provider may
 * read is taken, whatever the part's `type` says: bare strings (vLLM accepts them), the string `text` of
 * any part (`text`, `input_text`, `output_text`, …; vLLM and the simulated model read `input_text` in
 * chat too) and `refusal` parts. A type the gateway does not know must not let a text leave unchecked.
 */
export function pushContentSlots(options: {
  holder: Record<string, unknown>;
  key: string;
  role: Role;
  slots: TextSlot[];
}): void {
  const content = options.holder[options.key];
  if (typeof content === 'string') {
    options.slots.push({ container: options.holder, key: options.key, role: options.role });
    return;
  }
  if (!Array.isArray(content)) return;
  for (let index = 0; index < content.length; index++) {
    const part = content[index];
    if (typeof part === 'string') {
      options.slots.push({ container: content, key: index, role: options.role });
      continue;
    }
    if (part === null || typeof part !== 'object') continue;
    const record = part as Record<string, unknown>;
    if (typeof record.text === 'string')
      options.slots.push({ container: record, key: 'text', role: options.role });
    if (typeof record.refusal === 'string')
      options.slots.push({ container: record, key: 'refusal', role: options.role });
  }
}

/** Message members that are not free text (`name` must stay an identifier) or have their own handling. */
const NOT_EXTRA_TEXT = new Set(['role', 'name', 'content', 'tool_calls', 'tool_call_id', 'function_call']);

/**
 * Collects the names of declared tools (`tools[].function.name`, `tools[].custom.name`, Responses
 * `tools[].name`, legacy `functions[].name`). A built-in tool without a name (Responses `mcp`,
 * `code_interpreter`, `web_search_preview`, `local_shell`, …) goes by its `type`, as its calls do, so an
 * allowlist refuses a request that enables one it does not list.
 */
export function declaredToolNames(body: Record<string, unknown>): string[] {
  const names: string[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) {
      const record = tool as {
        function?: { name?: unknown };
        custom?: { name?: unknown };
        name?: unknown;
        type?: unknown;
      } | null;
      const name = record?.function?.name ?? record?.custom?.name ?? record?.name;
      if (typeof name === 'string') names.push(name);
      else if (typeof record?.type === 'string' && record.type !== 'function' && record.type !== 'custom')
        names.push(record.type);
    }
  }
  if (Array.isArray(body.functions)) {
    for (const fn of body.functions) {
      const name = (fn as { name?: unknown } | null)?.name;
      if (typeof name === 'string') names.push(name);
    }
  }
  return names;
}

/** Extracts checkable texts from an OpenAI `/v1/chat/completions` request body. */
export function extractOpenAIChat(body: Record<string, unknown>): ExtractedRequest {
  if (typeof body.model !== 'string' || body.model.length === 0) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`model` must be a non-empty string');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`messages` must be a non-empty array');
  }
  const slots: TextSlot[] = [];
  let systemPromptSlots: TextSlot[] | undefined;
  for (const message of body.messages) {
    if (message === null || typeof message !== 'object') {
      throw gatewayError(ERROR_CODES.BAD_REQUEST, 'each message must be an object');
    }
    const record = message as Record<string, unknown>;
    const role = typeof record.role === 'string' ? ROLE_MAP[record.role] : undefined;
    if (role === undefined) throw gatewayError(ERROR_CODES.BAD_REQUEST, 'message has an unknown role');
    const before = slots.length;
    pushContentSlots({ holder: record, key: 'content', role, slots });
    if (role === 'system' && systemPromptSlots === undefined && slots.length > before) {
      // All parts of the message: the output guard's leak check needs the whole prompt.
      systemPromptSlots = slots.slice(before);
    }
    if (Array.isArray(record.tool_calls)) {
      for (const call of record.tool_calls) {
        const fn = (call as { function?: Record<string, unknown> } | null)?.function;
        if (fn && typeof fn.arguments === 'string')
          slots.push({ container: fn, key: 'arguments', role: 'user' });
      }
    }
    // The deprecated `function_call` of an earlier assistant turn, like `tool_calls`.
    const legacy = record.function_call as Record<string, unknown> | null | undefined;
    if (legacy !== null && typeof legacy === 'object' && typeof legacy.arguments === 'string')
      slots.push({ container: legacy, key: 'arguments', role: 'user' });
    // Other text members a caller sends back in its history (`refusal`, `reasoning_content`, …) are
    // checked with the message's role, so no text leaves unchecked or unredacted.
    for (const key of Object.keys(record))
      if (!NOT_EXTRA_TEXT.has(key) && typeof record[key] === 'string')
        slots.push({ container: record, key, role });
  }
  const extracted: ExtractedRequest = {
    model: body.model,
    stream: body.stream === true,
    slots,
    tools: declaredToolNames(body),
  };
  if (systemPromptSlots !== undefined) {
    extracted.systemPrompt = joinSlotTexts(systemPromptSlots);
    extracted.systemPromptSlots = systemPromptSlots;
  }
  const toolTexts = toolDefinitionSlots(body);
  if (toolTexts !== undefined) extracted.toolTexts = toolTexts;
  return extracted;
}
