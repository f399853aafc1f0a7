/**
 * Substring search anchored on a rarer part of the word. `String.prototype.indexOf` stops at every
 * occurrence of the word's first character, which for words starting with a common letter ("assport",
 * "regards,") is several times slower than looking for a tail that starts with a rare one ("port", ",")
 * and checking the characters before it. Every occurrence of `word` contains `tail` at the same offset,
 * so both functions find exactly what a plain search finds.
 */

/** Start offsets of `word` in `text`, ascending; `tail` must be a suffix of `word`. */
export function literalPositions(text: string, word: string, tail: string): number[] {
  const positions: number[] = [];
  const offset = word.length - tail.length;
  let at = text.indexOf(tail, offset);
  while (at >= 0) {
    if (text.startsWith(word, at - offset)) positions.push(at - offset);
    at = text.indexOf(tail, at + 1);
  }
  return positions;
}

/** `text.includes(word)`, searched by `tail` (a suffix of `word`). */
export function includesLiteral(text: string, word: string, tail: string): boolean {
  const offset = word.length - tail.length;
  let at = text.indexOf(tail, offset);
  while (at >= 0) {
    if (text.startsWith(word, at - offset)) return true;
    at = text.indexOf(tail, at + 1);
  }
  return false;
}
