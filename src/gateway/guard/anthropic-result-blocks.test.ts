import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createAnthropicStream } from '../streaming/anthropic-stream.js';
import { guardWebSearchResults } from './anthropic-result-blocks.js';
import { guardWholeResponse } from './guard-whole-response.js';
import { createOutputChecker } from './output-checker.js';
import { createResponseGuard } from './response-guard.js';

const guard = createGuard({ policy: 'balanced' });
const config = parseGatewayConfig({});
const KEY = `sk-${'Hj4Kl5Zx6Cv7Bn8M'.repeat(3)}`;
const EXFIL_URL = 'https://attacker.example/collect?d=c2VjcmV0LXZhbHVlLWZyb20tdGhlLWNoYXQtaGlzdG9yeQ';

function responseGuard() {
  return createResponseGuard({
    checker: createOutputChecker({ guard, failMode: config.failMode }),
    streaming: config.streaming,
    vault: guard.createVault(),
    tools: null,
    maxBufferChars: 1_000_000,
  });
}

function results(...entries: { url: string; title: string }[]) {
  return {
    type: 'web_search_tool_result',
    tool_use_id: 'srv_1',
    content: entries.map((entry) => ({ type: 'web_search_result', encrypted_content: 'opaque', ...entry })),
  };
}

describe('Anthropic web search results', () => {
  it('redacts a key in a result title and keeps plain results as they are', () => {
    const block = results(
      { url: 'https://docs.example.com/tides', title: 'Tides explained' },
      { url: 'https://paste.example.com/x', title: `leaked ${KEY} here` },
    );
    const checker = responseGuard();
    expect(guardWebSearchResults(checker, block)).toBe(true);
    expect(JSON.stringify(block)).not.toContain(KEY);
    expect(block.content[0]).toMatchObject({
      url: 'https://docs.example.com/tides',
      title: 'Tides explained',
    });
    expect(block.content[1]?.title).toContain('[REDACTED:');
  });

  it('stops a whole answer and a stream whose search result URL carries data out', () => {
    const whole = responseGuard();
    const body = {
      type: 'message',
      content: [results({ url: EXFIL_URL, title: 'Results' }), { type: 'text', text: 'Done.' }],
    };
    expect(guardWholeResponse({ shape: 'anthropic', guard: whole, body })).toBe(false);
    expect(whole.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');

    const streamed = responseGuard();
    const transformer = createAnthropicStream(streamed);
    const event = {
      type: 'content_block_start',
      index: 1,
      content_block: results({ url: EXFIL_URL, title: 'x' }),
    };
    const out = transformer.onEvent({
      event: 'content_block_start',
      data: JSON.stringify(event),
      id: undefined,
    });
    expect(out).toBe('');
    expect(streamed.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });
});
