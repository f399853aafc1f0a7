import { ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { gatewayError } from '../http/api-error.js';
import { pushOtherBodyMembers } from './extract-openai-chat.js';
import { KNOWN_SHAPE_SKIP, pushMember, pushStringLeaves, unknownShapeWalk } from './push-string-leaves.js';
import { type ExtractedRequest, joinSlotTexts, type TextSlot } from './text-slot.js';
import { toolDefinitionSlots } from './tool-definition-slots.js';

/**
 * Content block types (Anthropic Messages API, "Content blocks") whose text is untrusted data wherever
 * it appears: tool results, the results of Anthropic's server tools (web search and fetch, code
 * execution, tool search) and of MCP servers, retrieved documents and search results (RAG). Their text is
 * judged for indirect injection, everything nested in them included.
 */
const DATA_BLOCKS: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['tool_result', 'tool'],
  ['web_search_tool_result', 'tool'],
  ['web_fetch_tool_result', 'tool'],
  ['code_execution_tool_result', 'tool'],
  ['bash_code_execution_tool_result', 'tool'],
  ['text_editor_code_execution_tool_result', 'tool'],
  ['tool_search_tool_result', 'tool'],
  ['mcp_tool_result', 'tool'],
  ['document', 'document'],
  ['search_result', 'document'],
]);

/**
 * Block types whose text has the role of the message (or system prompt) holding them: text, images (a
 * URL source), caller-sent assistant turns (their tool and server-tool inputs and their thinking, checked
 * as user text like chat `tool_calls`), and a `container_upload` (a file id). The thinking `signature`
 * is left as sent. A `redacted_thinking` block holds only data Anthropic encrypted, left as sent.
 */
const MESSAGE_BLOCKS: ReadonlySet<string> = new Set([
  'text',
  'image',
  'tool_use',
  'server_tool_use',
  'mcp_tool_use',
  'thinking',
  'container_upload',
]);

/** Nested under a role: a document inside a tool result stays a tool result (both are data). */
function dataRole(role: Role, blockRole: Role): Role {
  return role === 'tool' || role === 'document' ? role : blockRole;
}

/**
 * Pushes every text of content blocks with its role (see `DATA_BLOCKS`, `MESSAGE_BLOCKS`). A block of a
 * type this gateway does not know has every string in it checked, as a tool result when its type says it
 * is one (`…_result`), else with the message's role (fail closed). A bare string among blocks is checked
 * too (a lenient upstream may read it).
 */
function pushBlocks(options: { blocks: unknown[]; role: Role; slots: TextSlot[] }): void {
  const { blocks, role, slots } = options;
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    if (typeof block === 'string') {
      slots.push({ container: blocks, key: index, role });
      continue;
    }
    if (block === null || typeof block !== 'object') continue;
    const type = (block as { type?: unknown }).type;
    if (type === 'redacted_thinking') continue;
    const typeName = typeof type === 'string' ? type : '';
    const blockRole = DATA_BLOCKS.get(typeName);
    if (blockRole !== undefined)
      pushStringLeaves(block, { role: dataRole(role, blockRole), slots, skip: KNOWN_SHAPE_SKIP });
    // A tool's `input` is free-form JSON, walked as an unknown shape (see `pushMember`).
    else if (MESSAGE_BLOCKS.has(typeName)) pushStringLeaves(block, { role, slots, skip: KNOWN_SHAPE_SKIP });
    else {
      const unknownRole = typeName.endsWith('_result') ? dataRole(role, 'tool') : role;
      pushStringLeaves(block, unknownShapeWalk(unknownRole, slots));
    }
  }
}

/**
 * Body members of a Messages request that are settings or metadata, or are checked elsewhere (`tools`,
 * `output_format` and `output_config` by the tool-definition check). `mcp_servers` holds server URLs and
 * their credentials (`authorization_token`), which the model never reads; `container` names a container
 * the provider keeps. Every other member has every string in it checked as user text.
 */
const MESSAGES_SETTINGS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
  'service_tier',
  'mcp_servers',
  'container',
  'context_management',
  'output_format',
  'output_config',
]);

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
    // Caller-sent assistant turns are judged as user text (a caller can forge them).
    if (typeof record.content === 'string') slots.push({ container: record, key: 'content', role: 'user' });
    else if (Array.isArray(record.content)) pushBlocks({ blocks: record.content, role: 'user', slots });
    else if (record.content !== null && typeof record.content === 'object')
      pushBlocks({ blocks: [record.content], role: 'user', slots });
    // Any other member of a message (none is documented) is checked too.
    for (const key of Object.keys(record)) {
      if (key !== 'role' && key !== 'content') pushMember(record, key, unknownShapeWalk('user', slots));
    }
  }
  pushOtherBodyMembers({ body, settings: MESSAGES_SETTINGS, role: 'user', slots });
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
