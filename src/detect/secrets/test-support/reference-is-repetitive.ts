/**
 * `isRepetitive` as first written, the reference its faster version is tested against: every character
 * counted (code points, as `for…of` yields them) in a Map, no early answer.
 */
export function referenceIsRepetitive(value: string): boolean {
  if (value.length < 6) return false;
  const counts = new Map<string, number>();
  let highest = 0;
  for (const character of value) {
    const count = (counts.get(character) ?? 0) + 1;
    counts.set(character, count);
    if (count > highest) highest = count;
  }
  return highest / value.length > 0.6 || counts.size <= 2;
}
