import { ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { gatewayError } from '../http/api-error.js';
import {
  ambiguousRole,
  declaredToolNames,
  isRoleVariant,
  pushContentSlots,
  pushOtherBodyMembers,
  pushPartSlots,
} from './extract-openai-chat.js';
import { KNOWN_SHAPE_SKIP, pushMember, pushStringLeaves, unknownShapeWalk } from './push-string-leaves.js';
import type { ExtractedRequest, TextSlot } from './text-slot.js';
import { TOOL_LISTING_TYPES, toolDefinitionSlots } from './tool-definition-slots.js';

// OpenAI Responses API input items: messages with `role` and string or `input_text` parts;
// `function_call_output` / `custom_tool_call_output` items carry tool results (untrusted data).
const ROLE_MAP: Record<string, Role> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'user',
};

/**
 * Input item types (OpenAI Responses API reference, "input items") and the role their text is checked
 * with. Items that carry what a tool or the provider's own tools returned (`*_output` items) are tool
 * results: untrusted data, judged for indirect injection. The calls, reasoning and approvals of earlier
 * turns are caller-sent history, judged as user text like chat `tool_calls`; in them, the members that
 * hold a tool's answer (`output`, `outputs`, `results`, `error`: an MCP call's output, a file search's
 * results, a code interpreter's logs) are tool results again. An item of any other type has every string
 * in it checked as a tool result (fail closed).
 */
const ITEM_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['function_call', 'user'],
  ['custom_tool_call', 'user'],
  ['file_search_call', 'user'],
  ['web_search_call', 'user'],
  ['computer_call', 'user'],
  ['code_interpreter_call', 'user'],
  ['image_generation_call', 'user'],
  ['local_shell_call', 'user'],
  ['shell_call', 'user'],
  ['apply_patch_call', 'user'],
  ['mcp_call', 'user'],
  ['mcp_approval_request', 'user'],
  ['mcp_approval_response', 'user'],
  ['tool_search_call', 'user'],
  ['reasoning', 'user'],
  ['item_reference', 'user'],
  ['compaction', 'user'],
  ['function_call_output', 'tool'],
  ['custom_tool_call_output', 'tool'],
  ['computer_call_output', 'tool'],
  ['local_shell_call_output', 'tool'],
  ['shell_call_output', 'tool'],
  ['apply_patch_call_output', 'tool'],
  ['mcp_list_tools', 'tool'],
  ['tool_search_output', 'tool'],
  ['additional_tools', 'tool'],
]);

/** Members of a call item that hold what the tool answered (checked as tool results). */
const RESULT_MEMBERS: ReadonlySet<string> = new Set(['output', 'outputs', 'results', 'error']);

/**
 * Skips for known items besides ids and settings: the tools of a listing get the tool-definition check
 * (`TOOL_LISTING_TYPES`), and a generated image (`result`) is base64 bytes.
 */
const ITEM_SKIP: ReadonlySet<string> = new Set([...KNOWN_SHAPE_SKIP, 'tools', 'result']);

/**
 * True for a member named like `type` in another case: an item's type decides the role its text is
 * checked with, and upstreams built on Go's `encoding/json` read `Type` as `type` (see `isRoleVariant`).
 */
function isTypeVariant(key: string): boolean {
  return key.length === 4 && key !== 'type' && key.toLowerCase() === 'type';
}

/** Pushes every text of a non-message input item with the role of its type (see `ITEM_ROLES`). */
function pushItemSlots(record: Record<string, unknown>, slots: TextSlot[]): void {
  const role = typeof record.type === 'string' ? ITEM_ROLES.get(record.type) : undefined;
  if (role === undefined) {
    pushStringLeaves(record, unknownShapeWalk('tool', slots));
    return;
  }
  const listing = TOOL_LISTING_TYPES.has(record.type);
  for (const key of Object.keys(record)) {
    if (isRoleVariant(key) || isTypeVariant(key)) throw ambiguousRole();
    if (KNOWN_SHAPE_SKIP.has(key) || key === 'type' || (key === 'tools' && listing)) continue;
    if (key === 'result' && record.type === 'image_generation_call') continue;
    const memberRole = RESULT_MEMBERS.has(key) ? 'tool' : role;
    pushMember(record, key, { role: memberRole, slots, skip: ITEM_SKIP });
  }
}

/**
 * A reusable prompt (`prompt: {id, version, variables}`): the variables are substituted into the stored
 * prompt upstream, so their values (strings, `input_text`, `input_image` or `input_file` parts) are
 * caller text like `input`.
 */
function pushPromptVariables(prompt: unknown, slots: TextSlot[]): void {
  if (prompt === null || typeof prompt !== 'object') return;
  const variables = (prompt as Record<string, unknown>).variables;
  if (variables === null || typeof variables !== 'object') return;
  const record = variables as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string') slots.push({ container: record, key, role: 'user' });
    else if (value !== null && typeof value === 'object') pushPartSlots(value, { role: 'user', slots });
  }
}

/**
 * Body members of a Responses request that are settings or metadata, not text for the model, or are
 * checked elsewhere (`tools` and `text.format` by the tool-definition check; `input`, `instructions` and
 * `prompt` here). `previous_response_id` and `conversation` point at state the provider keeps: what they
 * hold was checked when it was sent, and nothing in this request can show it. Every other member has
 * every string in it checked as user text.
 */
const RESPONSES_SETTINGS: ReadonlySet<string> = new Set([
  'model',
  'input',
  'instructions',
  'prompt',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'top_logprobs',
  'max_output_tokens',
  'max_tool_calls',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'metadata',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'store',
  'background',
  'include',
  'previous_response_id',
  'conversation',
  'truncation',
  'service_tier',
]);

/** Extracts checkable texts from an OpenAI `/v1/responses` request body. */
export function extractOpenAIResponses(body: Record<string, unknown>): ExtractedRequest {
  if (typeof body.model !== 'string' || body.model.length === 0) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`model` must be a non-empty string');
  }
  const slots: TextSlot[] = [];
  let systemPromptSlot: TextSlot | undefined;
  if (typeof body.instructions === 'string') {
    systemPromptSlot = { container: body, key: 'instructions', role: 'system' };
    slots.push(systemPromptSlot);
  } else if (body.instructions !== null && typeof body.instructions === 'object') {
    pushStringLeaves(body.instructions, unknownShapeWalk('system', slots));
  }
  if (typeof body.input === 'string') {
    slots.push({ container: body, key: 'input', role: 'user' });
  } else if (Array.isArray(body.input)) {
    for (const item of body.input) {
      if (item === null || typeof item !== 'object') {
        throw gatewayError(ERROR_CODES.BAD_REQUEST, 'each input item must be an object');
      }
      const record = item as Record<string, unknown>;
      if (typeof record.role === 'string' && (record.type === undefined || record.type === 'message')) {
        const role = ROLE_MAP[record.role];
        if (role === undefined) throw gatewayError(ERROR_CODES.BAD_REQUEST, 'input item has an unknown role');
        pushContentSlots({ holder: record, key: 'content', role, slots });
        for (const key of Object.keys(record)) {
          if (isRoleVariant(key) || isTypeVariant(key)) throw ambiguousRole();
          if (key !== 'content' && key !== 'type' && !KNOWN_SHAPE_SKIP.has(key))
            pushMember(record, key, unknownShapeWalk(role, slots));
        }
      } else pushItemSlots(record, slots);
    }
  } else if (body.input !== undefined) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`input` must be a string or an array');
  }
  pushPromptVariables(body.prompt, slots);
  pushOtherBodyMembers({ body, settings: RESPONSES_SETTINGS, role: 'user', slots });
  const extracted: ExtractedRequest = {
    model: body.model,
    stream: body.stream === true,
    slots,
    tools: declaredToolNames(body),
  };
  if (systemPromptSlot !== undefined) {
    extracted.systemPrompt = body.instructions as string;
    extracted.systemPromptSlots = [systemPromptSlot];
  }
  const toolTexts = toolDefinitionSlots(body);
  if (toolTexts !== undefined) extracted.toolTexts = toolTexts;
  return extracted;
}
