import type { Vault } from '../../guard/types.js';
import { rewriteOutputItem } from '../streaming/openai-responses-stream.js';
import type { ResponseGuard } from './response-guard.js';

/** Which API shape a response body has. */
export type ResponseShape = 'chat' | 'responses' | 'anthropic' | 'embeddings';

function restoreDeep(vault: Vault, value: unknown, depth: number): unknown {
  if (typeof value === 'string') return vault.restore(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++)
      value[index] = restoreDeep(vault, value[index], depth + 1);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = restoreDeep(vault, record[key], depth + 1);
  return value;
}

function guardChat(guard: ResponseGuard, body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.choices)) return true;
  for (const choice of body.choices as { message?: Record<string, unknown> }[]) {
    const message = choice?.message;
    if (!message) continue;
    if (typeof message.content === 'string') {
      const text = guard.wholeText(message.content, 'text');
      if (text === null) return false;
      message.content = text;
    }
    if (Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls as { function?: Record<string, unknown> }[]) {
        const fn = call?.function;
        if (!fn) continue;
        if (typeof fn.name === 'string' && !guard.allowTool(fn.name)) return false;
        if (typeof fn.arguments === 'string') {
          const text = guard.wholeText(fn.arguments, 'json');
          if (text === null) return false;
          fn.arguments = text;
        }
      }
    }
  }
  return true;
}

function guardAnthropic(options: {
  guard: ResponseGuard;
  vault: Vault;
  body: Record<string, unknown>;
}): boolean {
  const { guard, body } = options;
  if (!Array.isArray(body.content)) return true;
  for (const block of body.content as Record<string, unknown>[]) {
    if (block?.type === 'text' && typeof block.text === 'string') {
      const text = guard.wholeText(block.text, 'text');
      if (text === null) return false;
      block.text = text;
    } else if (block?.type === 'tool_use') {
      if (typeof block.name === 'string' && !guard.allowTool(block.name)) return false;
      // Tool input is an object: check its JSON text, then restore every string inside it.
      if (guard.wholeText(JSON.stringify(block.input ?? {}), 'json') === null) return false;
      block.input = restoreDeep(options.vault, block.input, 0);
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
  vault: Vault;
  body: Record<string, unknown>;
}): boolean {
  switch (options.shape) {
    case 'chat':
      return guardChat(options.guard, options.body);
    case 'responses': {
      if (!Array.isArray(options.body.output)) return true;
      for (const item of options.body.output) if (!rewriteOutputItem(options.guard, item)) return false;
      return true;
    }
    case 'anthropic':
      return guardAnthropic(options);
    default:
      return true;
  }
}
