import { ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { gatewayError } from '../http/api-error.js';
import {
  KNOWN_SHAPE_SKIP,
  type LeafWalk,
  pushMember,
  pushStringLeaves,
  unknownShapeWalk,
} from './push-string-leaves.js';
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
 * Content part types whose members this gateway knows (OpenAI Chat and Responses, vLLM): their ids and
 * settings are left as sent (`KNOWN_SHAPE_SKIP`). Any other type has every string in it checked.
 */
const KNOWN_PART_TYPES: ReadonlySet<unknown> = new Set([
  'text',
  'refusal',
  'image_url',
  'input_audio',
  'file',
  'input_text',
  'output_text',
  'input_image',
  'input_file',
  'input_audio',
  'summary_text',
  'reasoning_text',
]);

/** Pushes every text of one content part (see `pushContentSlots`). */
export function pushPartSlots(part: object, options: { role: Role; slots: TextSlot[] }): void {
  const known = KNOWN_PART_TYPES.has((part as { type?: unknown }).type);
  pushStringLeaves(
    part,
    known
      ? { role: options.role, slots: options.slots, skip: KNOWN_SHAPE_SKIP }
      : unknownShapeWalk(options.role, options.slots),
  );
}

/**
 * Pushes the text of a `content` (a string, an array of parts, or a lone part object) as slots. Every
 * text a provider may read is taken, whatever the part's `type` says: bare strings (vLLM accepts them),
 * every string member of a part (`text`, `refusal`, a file's name, a part type this gateway does not
 * know), inline text files (a `file_data` or data URL of a text media type, decoded and checked as a
 * document). A type the gateway does not know must not let a text leave unchecked.
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
  if (content === null || typeof content !== 'object') return;
  if (!Array.isArray(content)) {
    pushPartSlots(content, options);
    return;
  }
  for (let index = 0; index < content.length; index++) {
    const part = content[index];
    if (typeof part === 'string') options.slots.push({ container: content, key: index, role: options.role });
    else if (part !== null && typeof part === 'object') pushPartSlots(part, options);
  }
}

/**
 * True for a member named like `role` in another case (`Role`, `ROLE`). Upstreams written in Go (Ollama,
 * and OpenAI-compatible servers built on `encoding/json`) match member names without regard to case, the
 * last one winning, so `{"role":"system","Role":"user"}` is a system message here and a user message
 * there: its text would be judged with the wrong role (system text gets no injection check).
 */
export function isRoleVariant(key: string): boolean {
  return key.length === 4 && key !== 'role' && key.toLowerCase() === 'role';
}

/** The refusal of a message or item whose role or type is ambiguous (see `isRoleVariant`). */
export function ambiguousRole(): Error {
  return gatewayError(
    ERROR_CODES.BAD_REQUEST,
    'a message or input item has two role or type members that differ only in case',
  );
}

/**
 * Members of a chat message: `role` and `content` have their own handling; `tool_call_id` matches a
 * call. Every other member (`name`, `refusal`, `reasoning_content`, `tool_calls`, `function_call`, a
 * member a provider added) is checked with the message's role, `tool_calls` and `function_call`
 * (arguments and custom tool input of an earlier assistant turn) as user text.
 */
function pushMessageMembers(record: Record<string, unknown>, role: Role, slots: TextSlot[]): void {
  for (const key of Object.keys(record)) {
    if (key === 'role' || key === 'content' || key === 'tool_call_id') continue;
    if (isRoleVariant(key)) throw ambiguousRole();
    if (key === 'tool_calls' || key === 'function_call')
      pushMember(record, key, { role: 'user', slots, skip: KNOWN_SHAPE_SKIP });
    else pushMember(record, key, unknownShapeWalk(role, slots));
  }
}

/**
 * Body members of a chat request that are settings or metadata, not text for the model (`user`,
 * `metadata` and `safety_identifier` stay with the provider; `stop` sequences end the answer and are
 * never read), or are checked elsewhere (`tools`, `functions` and `response_format` by the
 * tool-definition check, `messages` here). Every other member, a provider's extension included (vLLM
 * `documents` and `chat_template`), has every string in it checked as user text.
 */
const CHAT_SETTINGS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'n',
  'max_tokens',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'seed',
  'stop',
  'user',
  'metadata',
  'store',
  'service_tier',
  'parallel_tool_calls',
  'tool_choice',
  'function_call',
  'tools',
  'functions',
  'response_format',
  'modalities',
  'audio',
  'reasoning_effort',
  'verbosity',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prediction',
]);

/**
 * Pushes the body members outside `settings` (see `CHAT_SETTINGS`): every string in them, checked with
 * `role` and nothing skipped but a structural `type` and credentials (see `pushMember`).
 */
export function pushOtherBodyMembers(options: {
  body: Record<string, unknown>;
  settings: ReadonlySet<string>;
  role: Role;
  slots: TextSlot[];
}): void {
  const { body, settings } = options;
  let walk: LeafWalk | undefined;
  for (const key of Object.keys(body)) {
    if (settings.has(key)) continue;
    walk ??= unknownShapeWalk(options.role, options.slots);
    pushMember(body, key, walk);
  }
}

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
    pushMessageMembers(record, role, slots);
  }
  // Predicted output (`prediction.content`, a string or text parts) leaves with the request: the file
  // being rewritten, checked as a document.
  const prediction = body.prediction;
  if (prediction !== null && typeof prediction === 'object')
    pushStringLeaves(prediction, { role: 'document', slots, skip: KNOWN_SHAPE_SKIP }, 0, 'prediction');
  pushOtherBodyMembers({ body, settings: CHAT_SETTINGS, role: 'user', slots });
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
