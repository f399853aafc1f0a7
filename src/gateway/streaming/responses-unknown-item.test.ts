import { describe, expect, it } from 'vitest';
import { EXFIL, KEY, ORIGINAL, run, setup } from '../test-support/responses-stream-harness.js';
import { rewriteOutputItem } from './responses-output-texts.js';
import type { SseEvent } from './sse-parser.js';

const REDACTED_KEY = /\[REDACTED:[A-Z_]+\]/;
/** Base64 of a tiny image: media, never text, so left as sent. */
const IMAGE =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('rewriteOutputItem: items and parts the gateway does not know, and opaque ones it does', () => {
  it('checks every string of a content part without a known text, and restores placeholders in it', () => {
    const { email, responseGuard } = setup(null);
    const part = { type: 'output_future', caption: `by ${email}`, extra: { key: KEY } };
    const message = { id: 'msg_1', type: 'message', role: 'assistant', content: [part] };
    expect(rewriteOutputItem(responseGuard, message)).toBe(true);
    expect(part.caption).toBe(`by ${ORIGINAL}`);
    expect(part.extra.key).toMatch(REDACTED_KEY);
    const blocked = setup(null).responseGuard;
    const exfiltrating = {
      id: 'msg_1',
      type: 'message',
      content: [{ type: 'output_future', caption: EXFIL }],
    };
    expect(rewriteOutputItem(blocked, exfiltrating)).toBe(false);
    expect(blocked.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });

  it('restores placeholders JSON-escaped in a string of an unknown item that is itself JSON', () => {
    const { email, responseGuard } = setup(null);
    const item = {
      id: 'fc_1',
      type: 'future_call',
      arguments: JSON.stringify({ to: email }),
      note: `to ${email}`,
    };
    expect(rewriteOutputItem(responseGuard, item)).toBe(true);
    expect(JSON.parse(item.arguments)).toEqual({ to: ORIGINAL });
    expect(item.note).toBe(`to ${ORIGINAL}`);
  });

  it('checks the prompt of a generated image and leaves the image and compacted content as sent', () => {
    const { email, responseGuard } = setup(null);
    const image = {
      id: 'ig_1',
      type: 'image_generation_call',
      status: 'completed',
      revised_prompt: `A card for ${email}`,
      result: IMAGE,
    };
    const compaction = { id: 'cmp_1', type: 'compaction', encrypted_content: `gAAAA${IMAGE}` };
    expect(rewriteOutputItem(responseGuard, image)).toBe(true);
    expect(rewriteOutputItem(responseGuard, compaction)).toBe(true);
    expect(image).toEqual({ ...image, revised_prompt: `A card for ${ORIGINAL}`, result: IMAGE });
    expect(compaction.encrypted_content).toBe(`gAAAA${IMAGE}`);
  });
});

describe('createOpenAIResponsesStream: events the gateway does not know', () => {
  const event = (sequence: number, type: string, data: Record<string, unknown>): SseEvent => ({
    event: type,
    data: JSON.stringify({ type, ...data, sequence_number: sequence }),
    id: undefined,
  });

  it('passes media deltas, checks status events, and numbers what it sends without gaps', () => {
    const result = run(() => [
      event(0, 'response.created', { response: { id: 'resp_1', output: [] } }),
      event(1, 'response.audio.delta', { delta: IMAGE }),
      event(2, 'response.image_generation_call.partial_image', {
        item_id: 'ig_1',
        output_index: 0,
        partial_image_index: 0,
        partial_image_b64: IMAGE,
      }),
      event(3, 'response.future_call.delta', { item_id: 'fc_1', delta: 'held back' }),
      event(4, 'response.future_call.searching', { item_id: 'fc_1', output_index: 0 }),
      event(5, 'response.future_call.note', { item_id: 'fc_1', note: `key ${KEY}` }),
      event(6, 'response.completed', { response: { id: 'resp_1', output: [] } }),
    ]);
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY.slice(6));
    expect(result.received.map((entry) => [entry.data.type, entry.data.sequence_number])).toEqual([
      ['response.created', 0],
      ['response.audio.delta', 1],
      ['response.image_generation_call.partial_image', 2],
      ['response.future_call.searching', 3],
      ['response.future_call.note', 4],
      ['response.completed', 5],
    ]);
    expect(result.received[2]?.data.partial_image_b64).toBe(IMAGE);
    expect(result.received[4]?.data.note).toMatch(REDACTED_KEY);
  });

  it('stops at an unknown event that carries markdown exfiltration, before it is sent', () => {
    const result = run(() => [
      event(0, 'response.created', { response: { id: 'resp_1', output: [] } }),
      event(1, 'response.future_call.note', { item_id: 'fc_1', note: EXFIL }),
    ]);
    expect(result.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(result.out).not.toContain('attacker');
    expect(result.received.map((entry) => entry.data.type)).toEqual(['response.created', 'error']);
  });
});
