/**
 * Splits `text` at the given cut points (taken modulo `text.length + 1`, duplicates merged), for
 * property tests that stream a text in arbitrary pieces. The pieces join back to `text`; an empty piece
 * appears where two cuts meet the start or the end.
 */
export function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let previous = 0;
  for (const point of [...points, text.length]) {
    pieces.push(text.slice(previous, point));
    previous = point;
  }
  return pieces;
}
