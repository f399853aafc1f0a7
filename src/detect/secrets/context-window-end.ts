/**
 * Where the window after a context keyword ends: `window` characters after `from`, cut at the second line
 * break (the value sits on the keyword's line or the next one, as in YAML and JSON blocks). The breaks
 * are looked for only inside the window: searching to the end of the text for every keyword made a long
 * line of keywords cost time quadratic in its length, and a break past the window never moved its end.
 */
export function contextWindowEnd(text: string, from: number, window: number): number {
  const to = Math.min(text.length, from + window);
  const inWindow = text.slice(from, to);
  const firstNewline = inWindow.indexOf('\n');
  if (firstNewline === -1) return to;
  const secondNewline = inWindow.indexOf('\n', firstNewline + 1);
  return secondNewline === -1 ? to : from + secondNewline;
}
