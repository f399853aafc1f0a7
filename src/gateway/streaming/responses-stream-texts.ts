import type { ResponseGuard } from '../guard/response-guard.js';
import { finalText } from './responses-output-texts.js';
import { type ResponseEvent, type RewriteText, TEXT_TYPES, type TextSlot } from './responses-text-types.js';
import { formatSseEvent } from './sse-writer.js';

/** Where a streamed text's deltas go, remembered from its first delta to release held text later. */
interface DeltaTemplate {
  slot: TextSlot;
  /** The delta event type the upstream used (current or earlier name), for the released rest. */
  event: string;
  itemId: unknown;
  outputIndex: unknown;
}

/** The texts of one Responses stream: their guarded channels and the rewrites the stream's events use. */
export interface ResponsesStreamTexts {
  /** Pushes a delta into its text's channel; returns the text to send now, null on a violation. */
  push(options: {
    slot: TextSlot;
    itemId: unknown;
    outputIndex: unknown;
    delta: string;
    event?: string;
  }): string | null;
  /**
   * Finishes a streamed text and returns its held rest as a delta event ('' when none), null on a
   * violation. The event takes the next sequence number: call it before emitting the event it precedes.
   */
  release(key: string): string | null;
  /** Checks a text that is never streamed; the same text under the same slot is checked once. */
  checkWhole: RewriteText;
  /** A rewrite that releases each text's held rest (collected in `state.before`), then gives its final text. */
  finalRewrite(): { state: { before: string }; rewrite: RewriteText };
  /** A rewrite for `.added` events: a text already present starts its channel. */
  addedRewrite(data: ResponseEvent): RewriteText;
  /** The keys of every streamed text, in the order their first delta came. */
  keys(): IterableIterator<string>;
}

/** Creates the text state of one Responses stream; `sequence` numbers the delta events it emits. */
export function createResponsesStreamTexts(
  guard: ResponseGuard,
  sequence: () => number,
): ResponsesStreamTexts {
  const templates = new Map<string, DeltaTemplate>();
  /** Texts that are never streamed, checked once: the events that repeat them get the same result. */
  const checked = new Map<string, { source: string; text: string }>();

  const texts: ResponsesStreamTexts = {
    push(options) {
      const { slot } = options;
      if (!templates.has(slot.key)) {
        const event = options.event ?? TEXT_TYPES[slot.type].delta ?? '';
        templates.set(slot.key, { slot, event, itemId: options.itemId, outputIndex: options.outputIndex });
      }
      return guard.channel(slot.key, slot.kind).push(options.delta);
    },
    release(key) {
      const channel = guard.existing(key);
      const template = templates.get(key);
      if (channel === undefined || channel.finished || template === undefined) return '';
      const rest = channel.finish();
      if (rest === null) return null;
      if (rest.length === 0) return '';
      const index = TEXT_TYPES[template.slot.type].index;
      const delta: ResponseEvent = { type: template.event, item_id: template.itemId };
      if (template.outputIndex !== undefined) delta.output_index = template.outputIndex;
      if (index !== undefined) delta[index] = template.slot.index;
      delta.delta = rest;
      delta.sequence_number = sequence();
      return formatSseEvent(JSON.stringify(delta), template.event);
    },
    checkWhole(slot, text) {
      const seen = checked.get(slot.key);
      if (seen !== undefined && seen.source === text) return seen.text;
      const result = guard.wholeText(text, slot.kind);
      if (result !== null) checked.set(slot.key, { source: text, text: result });
      return result;
    },
    finalRewrite() {
      const state = { before: '' };
      const rewrite = guarded((slot, text) => {
        const released = texts.release(slot.key);
        if (released === null) return null;
        state.before += released;
        return finalText({ guard, key: slot.key, text, kind: slot.kind });
      });
      return { state, rewrite };
    },
    addedRewrite(data) {
      return guarded((slot, text) =>
        text.length === 0
          ? text
          : texts.push({ slot, itemId: data.item_id, outputIndex: data.output_index, delta: text }),
      );
    },
    keys: () => templates.keys(),
  };

  /** Sends texts that are never streamed (`whole` slots) to `checkWhole`, the others to `rewrite`. */
  function guarded(rewrite: RewriteText): RewriteText {
    return (slot, text) => (slot.type === 'whole' ? texts.checkWhole(slot, text) : rewrite(slot, text));
  }

  return texts;
}
