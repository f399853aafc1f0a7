/**
 * Where the line holding `index` ends, looking at most `limit` characters ahead: the first line break in
 * `index` .. `index + limit - 1`, or else `min(text.length, index + limit)`. This is
 * `Math.min(text.indexOf('\n', index)` (the text's length when there is none)`, index + limit)` without
 * searching past the limit: a search to the end of the text for every match made a long line without
 * breaks (`NC NC NC …`, `rm -r rm -r …`) cost time quadratic in its length.
 */
export function lineEndWithin(text: string, index: number, limit: number): number {
  const to = Math.min(text.length, index + limit);
  const at = index < to ? text.slice(index, to).indexOf('\n') : -1;
  return at === -1 ? to : index + at;
}
