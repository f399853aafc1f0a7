import type { ResponseGuard } from './response-guard.js';

/**
 * Characters read on each side of a junction: more than any key, address or link the output check looks
 * for, as the streamed text guard's overlap (`overlapChars`, 256) is.
 */
export const JUNCTION_CHARS = 256;

/** Where a text of the answer sits: `record[key]`. */
export interface TextHolder {
  record: Record<string, unknown>;
  key: string;
}

/**
 * Checks where consecutive texts of a whole answer meet (Anthropic `text` blocks, chat content parts,
 * Responses `output_text` parts; a client shows them one after the other as one text): the last 256
 * characters of one and the first 256 of the next, together (see `ResponseGuard.textJunction`), after each
 * text was checked on its own. A key or a markdown image split between two blocks is then redacted or
 * stops the answer like one inside a block. Empty texts are skipped, so the texts around them meet.
 * Changes the texts in place; false on a violation.
 */
export function guardTextJunctions(guard: ResponseGuard, holders: readonly TextHolder[]): boolean {
  let previous: TextHolder | undefined;
  for (const holder of holders) {
    const after = holder.record[holder.key];
    if (typeof after !== 'string' || after.length === 0) continue;
    const before = previous?.record[previous.key];
    if (previous !== undefined && typeof before === 'string') {
      const tail = before.slice(-JUNCTION_CHARS);
      const head = after.slice(0, JUNCTION_CHARS);
      const checked = guard.textJunction(tail, head);
      if (checked === null) return false;
      if (checked[0] !== tail)
        previous.record[previous.key] = before.slice(0, before.length - tail.length) + checked[0];
      if (checked[1] !== head) holder.record[holder.key] = checked[1] + after.slice(head.length);
    }
    previous = holder;
  }
  return true;
}
