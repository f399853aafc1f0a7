import { createSseParser } from '../streaming/sse-parser.js';

/** One JSON event of a received stream. */
export type ReceivedEvent = Record<string, unknown>;

/** A named SSE event whose data is `{ type, ...data }`, as Responses and Anthropic streams send them. */
export function sseEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** The JSON data of every event of a whole SSE text, `[DONE]` left out. */
export function parseSseEvents(text: string): ReceivedEvent[] {
  const events: ReceivedEvent[] = [];
  const parser = createSseParser({
    onEvent: (event) => {
      if (event.data !== '[DONE]') events.push(JSON.parse(event.data) as ReceivedEvent);
    },
  });
  parser.push(Buffer.from(text));
  parser.end();
  return events;
}

/** Pieces of 5 characters, so a text is only ever whole across several deltas. */
export function fiveCharacterPieces(text: string): string[] {
  return text.match(/[\s\S]{1,5}/g) ?? [];
}
