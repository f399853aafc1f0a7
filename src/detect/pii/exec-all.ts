/**
 * Every match of a global pattern in `text`. Unlike `String.prototype.matchAll`, which clones the
 * pattern on every call, this reuses it (resetting `lastIndex`), which matters when recognizers run on
 * thousands of short texts. Zero-length matches advance by one so the loop always ends.
 */
export function execAll(pattern: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  let match = pattern.exec(text);
  while (match !== null) {
    matches.push(match);
    if (match[0].length === 0) pattern.lastIndex += 1;
    match = pattern.exec(text);
  }
  pattern.lastIndex = 0;
  return matches;
}
