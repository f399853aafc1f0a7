/**
 * Ranges of Markdown code (fenced blocks and inline code spans, CommonMark §4.5 and §6.1). Raw HTML inside
 * code is shown escaped by Markdown renderers, so it is far less dangerous there.
 */
export interface CodeSpans {
  contains(index: number): boolean;
}

/** Fence lines (``` or ~~~, up to three spaces of indent). */
export const FENCE_PATTERN = /^ {0,3}(`{3,64}|~{3,64})/gm;
/** Single-line inline code spans. */
export const INLINE_CODE_PATTERN = /`[^`\n]{1,500}`/g;

/** Finds fenced blocks (``` or ~~~) and single-line inline code spans. */
export function findCodeSpans(text: string): CodeSpans {
  const ranges: [number, number][] = [];
  const fence = new RegExp(FENCE_PATTERN);
  let open: { at: number; marker: string } | undefined;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    const marker = match[1] ?? '';
    if (!open) open = { at: match.index, marker };
    else if (marker[0] === open.marker[0] && marker.length >= open.marker.length) {
      const lineEnd = text.indexOf('\n', match.index);
      ranges.push([open.at, lineEnd === -1 ? text.length : lineEnd]);
      open = undefined;
    }
  }
  if (open) ranges.push([open.at, text.length]);
  const inline = new RegExp(INLINE_CODE_PATTERN);
  for (let match = inline.exec(text); match; match = inline.exec(text)) {
    ranges.push([match.index, match.index + match[0].length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  // Inline spans may sit inside fences: merge into disjoint ranges so a binary search is exact.
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return {
    contains(index) {
      let low = 0;
      let high = merged.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const range = merged[middle]!;
        if (index < range[0]) high = middle - 1;
        else if (index >= range[1]) low = middle + 1;
        else return true;
      }
      return false;
    },
  };
}
