import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.js';
import { formatSseEvent } from './sse-writer.js';

function parseAll(chunks: readonly (string | Uint8Array)[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser({ onEvent: (event) => events.push(event) });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

describe('createSseParser', () => {
  it('follows the WHATWG rules for fields, comments, line endings and BOM', () => {
    const text =
      '\uFEFF: comment\r\nevent: add\r\ndata:first\rdata:  second\n\nid: 7\ndata\n\nunknown: x\ndata: last';
    const events = parseAll([text]);
    expect(events).toEqual([
      { event: 'add', data: 'first\n second', id: undefined },
      { event: undefined, data: '', id: '7' },
    ]);
  });

  it('gives the same events however the bytes are split (including inside UTF-8 and CRLF)', () => {
    const payloads = fc.array(
      fc.record({
        data: fc.string({ unit: 'binary', maxLength: 40 }),
        event: fc.option(fc.stringMatching(/^[a-z.]{1,12}$/), { nil: undefined }),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(
        payloads,
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        (items, cuts, newline) => {
          const text = items
            .map((item) => formatSseEvent(item.data, item.event).replace(/\n/g, newline))
            .join('');
          const bytes = new TextEncoder().encode(text);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let previous = 0;
          for (const point of [...points, bytes.length]) {
            chunks.push(bytes.slice(previous, point));
            previous = point;
          }
          const whole = parseAll([bytes]);
          expect(parseAll(chunks)).toEqual(whole);
          // Data round-trips (line breaks inside data are normalised to LF by the format).
          expect(whole.map((event) => event.data)).toEqual(
            items.map((item) => item.data.replace(/\r\n|\r/g, '\n')),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses an event larger than the limit', () => {
    const parser = createSseParser({ onEvent: () => {}, maxEventChars: 100 });
    expect(() => parser.push(`data: ${'x'.repeat(200)}\n`)).toThrow(/larger than 100/);
  });
});
