import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createOutputChecker } from './output-checker.js';
import { createResponseGuard } from './response-guard.js';
import { rewriteUnknownValue } from './rewrite-unknown-value.js';

// A value the output guard redacts as text (a card number) must not pass because it is written as a
// JSON number in a member the gateway does not know.
const guardCore = createGuard({ policy: 'balanced' });
const CARD = 4111111111111111;

function check(record: Record<string, unknown>, handled?: Record<string, 'text'>) {
  const config = parseGatewayConfig({});
  const guard = createResponseGuard({
    checker: createOutputChecker({ guard: guardCore, failMode: config.failMode }),
    streaming: config.streaming,
    vault: guardCore.createVault(),
    tools: null,
    maxBufferChars: 1_000_000,
  });
  const passed = rewriteUnknownValue({
    guard,
    record,
    rewrite: (_path, text) => guard.wholeText(text, 'text'),
    ...(handled === undefined ? {} : { handled }),
  });
  return { passed, changed: guard.changed };
}

describe('numbers in unknown members', () => {
  it('checks a long integer like text: a card number written as a number is redacted', () => {
    const record = { type: 'future_item', card: CARD, nested: [{ value: CARD }] };
    expect(check(record)).toEqual({ passed: true, changed: true });
    expect(JSON.stringify(record)).not.toContain(String(CARD));
  });

  it('checks a card number as a number beside the handled members of a known record', () => {
    const record = { role: 'assistant', content: 'Here it is.', card: CARD };
    expect(check(record, { content: 'text' }).passed).toBe(true);
    expect(JSON.stringify(record)).not.toContain(String(CARD));
  });

  it('leaves counts, timestamps and other numbers as numbers', () => {
    const record = {
      type: 'future_item',
      created: 1_732_345_678,
      tokens: 42,
      ratio: 0.5,
      ms: 1_732_345_678_000,
    };
    const copy = structuredClone(record);
    expect(check(record).passed).toBe(true);
    expect(record).toEqual(copy);
  });
});
