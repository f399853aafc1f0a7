/**
 * Formats one server-sent event (WHATWG HTML §9.2): optional `event:` line, one `data:` line per line of
 * data, and a blank line. Data is JSON in practice, which never contains raw line breaks.
 */
export function formatSseEvent(data: string, event?: string): string {
  const head = event === undefined ? '' : `event: ${event}\n`;
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `${head}data: ${data}\n\n`;
  return `${head}${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}
