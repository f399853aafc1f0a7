/** Text of a content value: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    const record = part as Record<string, unknown> | null;
    if (record && typeof record.text === 'string') parts.push(record.text);
    else if (record && record.type === 'tool_result') parts.push(contentText(record.content));
  }
  return parts.join('\n');
}

/** The last user text and all input text of a request body, for any supported API shape. */
export function requestTexts(body: Record<string, unknown>): { userText: string; inputText: string } {
  let userText = '';
  const all: string[] = [];
  if (typeof body.system === 'string') all.push(body.system);
  if (typeof body.instructions === 'string') all.push(body.instructions);
  if (typeof body.input === 'string') {
    userText = body.input;
    all.push(body.input);
  }
  const list = Array.isArray(body.messages) ? body.messages : Array.isArray(body.input) ? body.input : [];
  for (const item of list) {
    const record = item as Record<string, unknown> | null;
    if (!record) continue;
    const text = contentText(record.content ?? record.output);
    all.push(text);
    if (record.role === 'user' && text.length > 0) userText = text;
  }
  return { userText, inputText: all.join('\n') };
}
