import { isWhitespace } from '../is-whitespace.js';

/**
 * Whitespace collapsed for rule matching: a run of spaces and tabs becomes one space, a run containing a
 * line break becomes one `\n`. Rules can then use a single `\s` between words instead of `\s{1,n}`, which
 * keeps every pattern simple enough to prove linear (see the ReDoS test) and faster to run.
 */
export interface CollapsedText {
  readonly text: string;
  /** Maps an offset in the collapsed text to the offset in the text that was collapsed. */
  toSource(index: number): number;
}

/** Finds whitespace that collapsing would change. */
export const WHITESPACE_TO_COLLAPSE = /\s{2}|[^\S \n]/;

/** Collapses whitespace runs; returns the text unchanged (identity map) when nothing needs collapsing. */
export function collapseWhitespace(source: string): CollapsedText {
  if (!WHITESPACE_TO_COLLAPSE.test(source)) return { text: source, toSource: (index) => index };
  const offsets = new Int32Array(source.length + 1);
  const parts: string[] = [];
  let length = 0;
  let runStart = 0;
  let index = 0;
  while (index < source.length) {
    if (!isWhitespace(source.charCodeAt(index))) {
      index++;
      continue;
    }
    let end = index;
    let lineBreak = false;
    while (end < source.length && isWhitespace(source.charCodeAt(end))) {
      const code = source.charCodeAt(end);
      if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029 || code === 11 || code === 12) {
        lineBreak = true;
      }
      end++;
    }
    parts.push(source.slice(runStart, index), lineBreak ? '\n' : ' ');
    for (let position = runStart; position <= index; position++) offsets[length++] = position;
    runStart = end;
    index = end;
  }
  parts.push(source.slice(runStart));
  for (let position = runStart; position < source.length; position++) offsets[length++] = position;
  offsets[length] = source.length;
  const text = parts.join('');
  return {
    text,
    toSource(position) {
      if (position <= 0) return position < 0 ? 0 : (offsets[0] ?? 0);
      return position >= text.length ? source.length : (offsets[position] ?? source.length);
    },
  };
}
