import { ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { gatewayError } from '../http/api-error.js';
import { declaredToolNames, pushContentSlots } from './extract-openai-chat.js';
import type { ExtractedRequest, TextSlot } from './text-slot.js';
import { toolDefinitionSlots } from './tool-definition-slots.js';

// OpenAI Responses API input items: messages with `role` and string or `input_text` parts;
// `function_call_output` / `custom_tool_call_output` items carry tool results (untrusted data).
const ROLE_MAP: Record<string, Role> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'user',
};

/**
 * A reusable prompt (`prompt: {id, version, variables}`): the variables are substituted into the stored
 * prompt upstream, so their values (strings or `input_text` parts) are caller text like `input`.
 */
function pushPromptVariables(prompt: unknown, slots: TextSlot[]): void {
  if (prompt === null || typeof prompt !== 'object') return;
  const variables = (prompt as Record<string, unknown>).variables;
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return;
  const record = variables as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string') slots.push({ container: record, key, role: 'user' });
    else if (
      value !== null &&
      typeof value === 'object' &&
      typeof (value as { text?: unknown }).text === 'string'
    )
      slots.push({ container: value as Record<string, unknown>, key: 'text', role: 'user' });
  }
}

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
  }
  if (typeof body.input === 'string') {
    slots.push({ container: body, key: 'input', role: 'user' });
  } else if (Array.isArray(body.input)) {
    for (const item of body.input) {
      if (item === null || typeof item !== 'object') {
        throw gatewayError(ERROR_CODES.BAD_REQUEST, 'each input item must be an object');
      }
      const record = item as Record<string, unknown>;
      if (record.type === 'function_call_output' || record.type === 'custom_tool_call_output') {
        // Tool output is a string or, per the current API reference, a list of input parts.
        pushContentSlots({ holder: record, key: 'output', role: 'tool', slots });
      } else if (record.type === 'function_call' && typeof record.arguments === 'string') {
        slots.push({ container: record, key: 'arguments', role: 'user' });
      } else if (record.type === 'custom_tool_call' && typeof record.input === 'string') {
        slots.push({ container: record, key: 'input', role: 'user' });
      } else if (typeof record.role === 'string') {
        const role = ROLE_MAP[record.role];
        if (role === undefined) throw gatewayError(ERROR_CODES.BAD_REQUEST, 'input item has an unknown role');
        pushContentSlots({ holder: record, key: 'content', role, slots });
      }
    }
  } else if (body.input !== undefined) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`input` must be a string or an array');
  }
  pushPromptVariables(body.prompt, slots);
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
