import type { ResponseGuard } from '../guard/response-guard.js';
import type { ResponseEvent, RewriteText } from './responses-text-types.js';
import { rewriteUnknownItem } from './responses-unknown-item.js';

/**
 * Events that carry media bytes (base64 audio, partial images; API reference "Streaming events"), never
 * text: passed as sent. The audio's transcript and the image's prompt are checked where they appear.
 */
const MEDIA_EVENTS = new Set(['response.audio.delta', 'response.image_generation_call.partial_image']);
/** Delta events end in `.delta` (some earlier names in `_delta`). */
const DELTA_EVENT = /[._]delta$/;

/** What becomes of an event the stream transformer does not know. */
export type UnknownEventOutcome = 'send' | 'drop' | 'stop';

/**
 * An event of a type this code does not know (a provider adds event types with new item types). A delta
 * carries a piece of some text: checked piece by piece, a key or link split over two deltas would pass,
 * and holding it would need to know where its text ends. So outside `audit` mode it is dropped: every
 * Responses item is repeated whole in `response.output_item.done` and in the terminal event, where its
 * every string is checked, so the caller still receives the text, checked. Any other event (a `.done`, a
 * status update) is sent with every string in it checked whole and restored. `audit` mode passes deltas
 * through and only records.
 */
export function rewriteUnknownEvent(options: {
  guard: ResponseGuard;
  data: ResponseEvent;
  rewrite: RewriteText;
}): UnknownEventOutcome {
  const { guard, data, rewrite } = options;
  const type = data.type ?? '';
  if (MEDIA_EVENTS.has(type)) return 'send';
  if (guard.mode !== 'audit' && DELTA_EVENT.test(type)) return 'drop';
  const itemId = data.item_id;
  return rewriteUnknownItem({ guard, record: data, itemId, rewrite, at: `event.${type}` }) ? 'send' : 'stop';
}
