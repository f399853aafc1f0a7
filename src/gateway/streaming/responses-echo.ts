import type { ResponseGuard } from '../guard/response-guard.js';

/**
 * The Responses API repeats the request's `instructions` in every response object it returns (the whole
 * answer, and the snapshots of `response.created`, `response.completed`, …). The gateway sent them with
 * placeholders for redacted values, so the caller would see `<EMAIL_ADDRESS_1>` instead of its own text:
 * the placeholders are restored (a string, or the texts of a list of input messages).
 */
export function restoreEchoedInstructions(guard: ResponseGuard, response: unknown): void {
  if (response === null || typeof response !== 'object') return;
  const record = response as Record<string, unknown>;
  const instructions = record.instructions;
  if (typeof instructions === 'string') {
    record.instructions = guard.restoreEcho(instructions);
    return;
  }
  if (!Array.isArray(instructions)) return;
  for (const item of instructions) {
    if (item === null || typeof item !== 'object') continue;
    const message = item as Record<string, unknown>;
    if (typeof message.content === 'string') message.content = guard.restoreEcho(message.content);
    else if (Array.isArray(message.content)) {
      for (const part of message.content) {
        if (part === null || typeof part !== 'object') continue;
        const text = (part as Record<string, unknown>).text;
        if (typeof text === 'string') (part as Record<string, unknown>).text = guard.restoreEcho(text);
      }
    }
  }
}
