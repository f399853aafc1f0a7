import type { ResponseGuard } from '../guard/response-guard.js';
import { JUNCTION_CHARS } from '../guard/text-junctions.js';

/** What an event's output is, for the gate. */
export interface GatedOutput {
  /** Text of the answer the event carried (as the upstream sent it), when it did. */
  text?: string;
  /** True when the event may wait: it sits between two texts of the answer or starts or carries the next. */
  waits: boolean;
  /** Set when the event ended a text of the answer: that text's last characters as the upstream sent them. */
  ended?: string;
}

/**
 * Holds a stream's output where two texts of the answer meet (Anthropic `text` blocks, Responses
 * `output_text` parts and message items; a client shows them one after the other as one text), so that
 * the end of one and the start of the next are checked together before either is sent. Each text's own
 * channel checks it alone; a key or a markdown image split between two of them is only seen here.
 *
 * When a text ends, its held rest and the events that end it wait, with the events that start the next
 * text and that text's first deltas, until the next text has 256 characters (more than any key, address
 * or link the output check looks for), or ends, or an event of another kind comes: then the junction is
 * checked (`ResponseGuard.streamJunction`) and the output released in order, or the stream stops with
 * nothing of either text's held part sent. What waits is the first text's held rest (all of it in `buffer`
 * mode), the few events between the two texts and the next text's first 256 characters. `audit` mode
 * never holds.
 */
export interface TextJunctionGate {
  /**
   * Passes one event's output: returns what to send now ('' while it waits), or null on a violation (the
   * held output is dropped; the stream ends with its error event).
   */
  pass(out: string, event: GatedOutput): string | null;
  /** Checks a waiting junction with what came of the next text so far (at the end of the stream). */
  release(): string | null;
}

/** The output of an event that is neither answer text nor between two texts of the answer. */
export const NOT_GATED: GatedOutput = Object.freeze({ waits: false });

/** Creates the junction gate of one streamed response. */
export function createTextJunctionGate(guard: ResponseGuard): TextJunctionGate {
  let tail: string | undefined;
  let head = '';
  let queue = '';

  function release(): string | null {
    if (tail === undefined) return '';
    const before = tail;
    const after = head.slice(0, JUNCTION_CHARS);
    const out = queue;
    tail = undefined;
    head = '';
    queue = '';
    return guard.streamJunction(before, after) ? out : null;
  }

  return {
    pass(out, event) {
      let sent = '';
      if (tail !== undefined) {
        if (event.text !== undefined) head += event.text;
        if (event.ended === undefined && event.waits && head.length < JUNCTION_CHARS) {
          queue += out;
          return '';
        }
        const released = release();
        if (released === null) return null;
        sent = released;
      }
      if (event.ended !== undefined && event.ended.length > 0 && guard.mode !== 'audit') {
        tail = event.ended;
        queue = out;
        return sent;
      }
      return sent + out;
    },
    release,
  };
}
