/**
 * A streamed OpenAI chat chunk cut around its content string: `prefix` + JSON string literal + `suffix`.
 * Providers send every content delta of a stream with the same id, model, index and finish reason, so
 * after one chunk was parsed in full the next ones only differ in the literal. Recognising that saves a
 * `JSON.parse` per streamed token (the most frequent work of a streaming gateway) without trusting
 * anything unparsed: a chunk that is not exactly `prefix` + one valid string literal + `suffix` takes the
 * full path.
 */
export interface ChatChunkTemplate {
  prefix: string;
  suffix: string;
}

const META_KEYS = new Set(['id', 'object', 'created', 'model', 'system_fingerprint', 'service_tier']);
const CHOICE_KEYS = new Set(['index', 'delta', 'finish_reason', 'logprobs']);
/** Characters that need the full JSON string parser (escapes, quotes, control characters). */
const NEEDS_PARSE = /["\\\u0000-\u001f]/;

function isPlainContentChunk(chunk: Record<string, unknown>): boolean {
  for (const key of Object.keys(chunk)) {
    if (key === 'choices') continue;
    const value = chunk[key];
    if (!META_KEYS.has(key) || (value !== null && typeof value === 'object')) return false;
  }
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length !== 1) return false;
  const choice = choices[0] as Record<string, unknown> | null;
  if (choice === null || typeof choice !== 'object') return false;
  for (const key of Object.keys(choice)) if (!CHOICE_KEYS.has(key)) return false;
  if (choice.finish_reason != null || choice.logprobs != null) return false;
  const delta = choice.delta as Record<string, unknown> | null | undefined;
  if (delta === null || typeof delta !== 'object') return false;
  const keys = Object.keys(delta);
  return keys.length === 1 && keys[0] === 'content' && typeof delta.content === 'string';
}

/** End (exclusive) of the JSON string literal starting at `start` (a quote), or -1. */
function literalEnd(data: string, start: number): number {
  let index = start + 1;
  while (index < data.length) {
    const code = data.charCodeAt(index);
    if (code === 92) index += 2;
    else if (code === 34) return index + 1;
    else index++;
  }
  return -1;
}

/**
 * Cuts a fully parsed chunk (`data` is its raw text) into a template, when it is a plain content delta:
 * one choice, no finish reason or log probabilities, a delta with only `content`, meta fields only.
 */
export function learnChatChunkTemplate(
  data: string,
  chunk: Record<string, unknown>,
): ChatChunkTemplate | undefined {
  if (!isPlainContentChunk(chunk)) return undefined;
  // Inside a JSON string every quote is escaped, so an unescaped `"content"` followed by a colon is the
  // key itself; a plain content chunk has exactly one such key (meta values are not objects).
  const key = data.indexOf('"content"');
  if (key === -1 || data.indexOf('"content"', key + 1) !== -1) return undefined;
  let start = key + 9;
  while (data.charCodeAt(start) === 32) start++;
  if (data.charCodeAt(start) !== 58) return undefined;
  start++;
  while (data.charCodeAt(start) === 32) start++;
  if (data.charCodeAt(start) !== 34) return undefined;
  const end = literalEnd(data, start);
  if (end === -1) return undefined;
  const content = (chunk.choices as { delta: { content: string } }[])[0]?.delta.content;
  try {
    if (JSON.parse(data.slice(start, end)) !== content) return undefined;
  } catch {
    return undefined;
  }
  return { prefix: data.slice(0, start), suffix: data.slice(end) };
}

/**
 * The content of a chunk that has the template's exact shape, or undefined (then parse it in full).
 * The middle must be one complete JSON string literal, so nothing else can hide in it.
 */
export function matchChatChunkTemplate(template: ChatChunkTemplate, data: string): string | undefined {
  const { prefix, suffix } = template;
  const end = data.length - suffix.length;
  // Slice-and-compare: measured several times faster than `startsWith` on the parser's sliced strings.
  if (end - prefix.length < 2 || data.slice(0, prefix.length) !== prefix || data.slice(end) !== suffix)
    return undefined;
  if (data.charCodeAt(prefix.length) !== 34 || data.charCodeAt(end - 1) !== 34) return undefined;
  const inner = data.slice(prefix.length + 1, end - 1);
  if (!NEEDS_PARSE.test(inner)) return inner;
  try {
    // An unescaped quote inside would end the literal early and fail the parse (trailing characters).
    const value: unknown = JSON.parse(data.slice(prefix.length, end));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The chunk with `content` in place of the template's literal. */
export function fillChatChunkTemplate(template: ChatChunkTemplate, content: string): string {
  return `${template.prefix}${JSON.stringify(content)}${template.suffix}`;
}
