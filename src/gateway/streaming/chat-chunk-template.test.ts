import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fillChatChunkTemplate,
  learnChatChunkTemplate,
  matchChatChunkTemplate,
} from './chat-chunk-template.js';

function chunkText(content: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 7,
    model: 'gpt-4o-mini',
    system_fingerprint: 'fp_1',
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null, ...extra }],
  });
}

function learn(data: string) {
  return learnChatChunkTemplate(data, JSON.parse(data) as Record<string, unknown>);
}

describe('chat chunk templates', () => {
  it('learns from a plain content delta and reads the content of same-shaped chunks', () => {
    const template = learn(chunkText('Hello'));
    expect(template).toBeDefined();
    if (!template) return;
    expect(matchChatChunkTemplate(template, chunkText(' world'))).toBe(' world');
    expect(matchChatChunkTemplate(template, chunkText('say "hi"\n\u00e9'))).toBe('say "hi"\n\u00e9');
    expect(matchChatChunkTemplate(template, chunkText(''))).toBe('');
    expect(JSON.parse(fillChatChunkTemplate(template, 'a "b"'))).toEqual(JSON.parse(chunkText('a "b"')));
  });

  it('refuses chunks that carry anything besides content', () => {
    const template = learn(chunkText('Hello'));
    if (!template) throw new Error('no template');
    // A finish reason, a tool call or another field: not the template's shape.
    expect(matchChatChunkTemplate(template, chunkText('x', { finish_reason: 'stop' }))).toBeUndefined();
    expect(matchChatChunkTemplate(template, chunkText('x', { logprobs: { content: [] } }))).toBeUndefined();
    expect(matchChatChunkTemplate(template, chunkText(5))).toBeUndefined();
    // Content that closes the literal early to smuggle in another key of the delta.
    const smuggled = chunkText('a').replace('"a"', '"a","tool_calls":[{"index":0}],"content":"b"');
    expect(matchChatChunkTemplate(template, smuggled)).toBeUndefined();
    expect(matchChatChunkTemplate(template, chunkText('a').replace('chatcmpl-1', 'chatcmpl-2'))).toBe(
      undefined,
    );
  });

  it('learns nothing from chunks that are not plain content deltas', () => {
    expect(learn(chunkText('x', { finish_reason: 'stop' }))).toBeUndefined();
    expect(learn(chunkText(null))).toBeUndefined();
    const withRole = chunkText('x').replace('"delta":{', '"delta":{"role":"assistant",');
    expect(learn(withRole)).toBeUndefined();
    const withUsage = chunkText('x').replace('"id"', '"usage":{"total_tokens":1},"id"');
    expect(learn(withUsage)).toBeUndefined();
  });

  it('reads exactly what JSON.parse reads, for any content and any text after the prefix', () => {
    const template = learn(chunkText('seed'));
    if (!template) throw new Error('no template');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (content) => {
        expect(matchChatChunkTemplate(template, chunkText(content))).toBe(content);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ maxLength: 20 }).map((text) => JSON.stringify(text)),
          fc
            .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
            .map(([a, b, c]) => `${JSON.stringify(a)}${b}${JSON.stringify(c)}`),
        ),
        (middle) => {
          const data = `${template.prefix}${middle}${template.suffix}`;
          const read = matchChatChunkTemplate(template, data);
          if (read === undefined) return;
          // Whatever the template accepts parses to the same chunk with that content.
          expect(JSON.parse(data)).toEqual(JSON.parse(chunkText(read)));
        },
      ),
    );
  });
});
