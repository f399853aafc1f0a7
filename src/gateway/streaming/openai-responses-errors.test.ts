import { describe, expect, it } from 'vitest';
import {
  KEY,
  ORIGINAL,
  type Received,
  run as runWithTools,
} from '../test-support/responses-stream-harness.js';
import type { SseEvent } from './sse-parser.js';

/** Runs events through a fresh transformer with no tool allowlist, closing it at a violation. */
const run = (makeEvents: (email: string) => readonly SseEvent[]) => runWithTools(makeEvents, null);

/** Events as a Responses upstream sends them, numbered from `first` ("Streaming events"). */
function numbered(events: readonly [string, Record<string, unknown>][], first = 0): SseEvent[] {
  return events.map(([type, data], index) => ({
    event: type,
    data: JSON.stringify({ type, ...data, sequence_number: first + index }),
    id: undefined,
  }));
}

/** A message with one output text streamed in `pieces` (held back by the window until its `.done`). */
function textEvents(pieces: readonly string[]): [string, Record<string, unknown>][] {
  const at = { item_id: 'msg_1', output_index: 0, content_index: 0 };
  const text = pieces.join('');
  const item = { id: 'msg_1', type: 'message', role: 'assistant', content: [] };
  const part = { type: 'output_text', text, annotations: [] };
  return [
    ['response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } }],
    ['response.output_item.added', { output_index: 0, item }],
    ['response.content_part.added', { ...at, part: { ...part, text: '' } }],
    ...pieces.map((delta): [string, Record<string, unknown>] => [
      'response.output_text.delta',
      { ...at, delta },
    ]),
    ['response.output_text.done', { ...at, text }],
    ['response.content_part.done', { ...at, part }],
    ['response.output_item.done', { output_index: 0, item: { ...item, content: [part] } }],
    ['response.completed', { response: { id: 'resp_1', status: 'completed', output: [] } }],
  ];
}

function sequenceNumbers(received: readonly Received[]): unknown[] {
  return received.map((entry) => entry.data.sequence_number);
}

describe('createOpenAIResponsesStream: sequence numbers', () => {
  it('numbers every event it sends in order, released held text included, starting where the upstream did', () => {
    for (const first of [0, 1, 40]) {
      const result = run((email) => numbered(textEvents(['Write ', `to ${email} `, 'today.']), first));
      expect(result.violation).toBeUndefined();
      const types = result.received.map((entry) => entry.data.type);
      // The held text leaves as one more delta just before `.done`.
      expect(types.indexOf('response.output_text.delta')).toBe(
        types.indexOf('response.output_text.done') - 1,
      );
      const numbers = sequenceNumbers(result.received);
      expect(numbers).toEqual(numbers.map((_, index) => first + index));
    }
  });

  it('gives the closing error event the next number after everything sent', () => {
    const result = run(() =>
      numbered([
        ...textEvents(['Long enough text to leave the window? ', 'x '.repeat(200)]).slice(0, 5),
        [
          'response.output_text.delta',
          { item_id: 'msg_1', output_index: 0, content_index: 0, delta: `use ${KEY}` },
        ],
        [
          'response.output_text.delta',
          {
            item_id: 'msg_1',
            output_index: 0,
            content_index: 0,
            delta: ' ![x](https://attacker.example/p.png)',
          },
        ],
        ['response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text: '…' }],
      ]),
    );
    expect(result.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(result.received.at(-1)?.data.type).toBe('error');
    const numbers = sequenceNumbers(result.received);
    expect(numbers).toEqual(numbers.map((_, index) => index));
  });
});

describe('createOpenAIResponsesStream: upstream errors', () => {
  it('checks and restores the message of an upstream error event and keeps only short identifiers', () => {
    const result = run((email) =>
      numbered([
        ['response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } }],
        [
          'error',
          {
            code: 'server_error',
            message: `failed for ${email} while writing ${KEY}`,
            param: `x ${KEY}`,
            internal_trace: KEY,
          },
        ],
      ]),
    );
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY);
    expect(result.received[1]?.data).toEqual({
      type: 'error',
      message: expect.stringMatching(
        /^failed for ann "the boss" <ann@example\.com> while writing \[REDACTED:/,
      ),
      code: 'server_error',
      param: null,
      sequence_number: 1,
    });
  });

  it('checks an error nested under `error` too, as some servers send it', () => {
    const result = run((email) =>
      numbered([['error', { error: { message: `bad ${email}`, type: 'invalid_request_error', code: KEY } }]]),
    );
    expect(result.received[0]?.data).toEqual({
      type: 'error',
      error: { message: `bad ${ORIGINAL}`, type: 'invalid_request_error', param: null, code: null },
      sequence_number: 0,
    });
  });

  it('checks the error of a failed response', () => {
    const result = run((email) =>
      numbered([
        [
          'response.failed',
          {
            response: {
              id: 'resp_1',
              status: 'failed',
              output: [],
              error: { code: 'server_error', message: `for ${email}: ${KEY}`, debug: KEY },
            },
          },
        ],
      ]),
    );
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY);
    const response = result.received[0]?.data.response as { error: Record<string, unknown> };
    expect(response.error).toEqual({
      code: 'server_error',
      message: expect.stringMatching(/^for ann "the boss" <ann@example\.com>: \[REDACTED:/),
    });
  });

  it('stops the stream instead of sending an error message that breaks the policy', () => {
    const result = run(() =>
      numbered([
        ['error', { code: 'x', message: 'see ![x](https://attacker.example/p.png?d=1)', param: null }],
      ]),
    );
    expect(result.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(result.out).not.toContain('attacker');
    expect(result.received).toHaveLength(1);
    expect(result.received[0]?.data.error).toMatchObject({ code: 'AEGIS_OUTPUT_BLOCKED' });
  });
});
