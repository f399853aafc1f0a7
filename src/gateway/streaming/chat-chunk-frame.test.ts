import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createOutputChecker } from '../guard/output-checker.js';
import { createResponseGuard } from '../guard/response-guard.js';
import { createOpenAIChatStream } from './openai-chat-stream.js';
import { createSseParser, type SseEvent } from './sse-parser.js';

const guard = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
const config = parseGatewayConfig({ streaming: { mode: 'buffer' } });

/** Runs chat chunks (`data` texts) through a fresh transformer; returns the raw SSE text it writes. */
function transform(makeDatas: (email: string) => readonly string[]): { sse: string; events: SseEvent[] } {
  const vault = guard.createVault();
  const email = vault.placeholderFor('EMAIL_ADDRESS', 'ann "the boss" <ann@example.com>');
  const responseGuard = createResponseGuard({
    checker: createOutputChecker({ guard, failMode: config.failMode }),
    streaming: config.streaming,
    vault,
    tools: null,
    maxBufferChars: 1_000_000,
  });
  const transformer = createOpenAIChatStream(responseGuard);
  let sse = '';
  for (const data of makeDatas(email)) sse += transformer.onEvent({ event: undefined, data, id: undefined });
  sse += transformer.onEvent({ event: undefined, data: '[DONE]', id: undefined });
  const events: SseEvent[] = [];
  const parser = createSseParser({ onEvent: (event) => events.push(event) });
  parser.push(sse);
  parser.end();
  return { sse, events };
}

function chunk(content: string, spaced: boolean): string {
  const value = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 7,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  };
  return spaced ? JSON.stringify(value, null, 1) : JSON.stringify(value);
}

function finish(spaced: boolean): string {
  const value = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 7,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
  };
  return spaced ? JSON.stringify(value, null, 1) : JSON.stringify(value);
}

// In buffer mode every delta is held to the end; in the default window mode deltas leave as the window
// moves: both go through the learned template of the chunk, written as one `data:` line per line.
describe.each([
  ['one-line chunks', false],
  ['chunks written over several lines', true],
])('chat deltas read through the chunk template (%s)', (_name, spaced) => {
  it('writes every event as SSE lines that parse back to the restored content', () => {
    const pieces = ['Write ', 'to ', 'EMAIL', '', ' now.', ' Line\nbreak "quoted" \u2014 done.'];
    const { sse, events } = transform((email) => [
      chunk('Hi. ', spaced),
      ...pieces.map((piece) => chunk(piece === 'EMAIL' ? email : piece, spaced)),
      finish(spaced),
    ]);
    for (const block of sse.split('\n\n').filter((part) => part.length > 0))
      for (const line of block.split('\n')) expect(line.startsWith('data: ')).toBe(true);
    const text = events
      .filter((event) => event.data !== '[DONE]')
      .map((event) => {
        const parsed = JSON.parse(event.data) as { choices: { delta: { content?: string } }[] };
        return parsed.choices[0]?.delta.content ?? '';
      })
      .join('');
    expect(text).toBe(`Hi. Write to ann "the boss" <ann@example.com> now. Line\nbreak "quoted" \u2014 done.`);
    expect(events.at(-1)?.data).toBe('[DONE]');
  });
});

describe('chat deltas in window mode', () => {
  it('writes single-line events for one-line chunks and multi-line ones for spaced chunks', () => {
    const windowConfig = parseGatewayConfig({});
    for (const spaced of [false, true]) {
      const vault = guard.createVault();
      const responseGuard = createResponseGuard({
        checker: createOutputChecker({ guard, failMode: windowConfig.failMode }),
        streaming: windowConfig.streaming,
        vault,
        tools: null,
        maxBufferChars: 1_000_000,
      });
      const transformer = createOpenAIChatStream(responseGuard);
      let sse = '';
      const words = Array.from({ length: 200 }, (_, index) => `word${index} `);
      for (const word of words)
        sse += transformer.onEvent({ event: undefined, data: chunk(word, spaced), id: undefined });
      sse += transformer.onEvent({ event: undefined, data: finish(spaced), id: undefined });
      const blocks = sse.split('\n\n').filter((part) => part.length > 0);
      expect(blocks.length).toBeGreaterThan(2);
      for (const block of blocks) {
        const lines = block.split('\n');
        for (const line of lines) expect(line.startsWith('data: ')).toBe(true);
        if (!spaced) expect(lines).toHaveLength(1);
        const data = lines.map((line) => line.slice(6)).join('\n');
        expect(() => JSON.parse(data)).not.toThrow();
      }
      const text = blocks
        .map((block) => {
          const data = block
            .split('\n')
            .map((line) => line.slice(6))
            .join('\n');
          const parsed = JSON.parse(data) as { choices: { delta: { content?: string } }[] };
          return parsed.choices[0]?.delta.content ?? '';
        })
        .join('');
      expect(text).toBe(words.join(''));
    }
  });
});
