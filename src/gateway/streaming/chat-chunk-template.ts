import {
  cutStringFieldTemplate,
  fillStringFieldTemplate,
  matchStringFieldTemplate,
  type StringFieldTemplate,
} from './string-field-template.js';

/**
 * A streamed OpenAI chat chunk cut around its content string (see `StringFieldTemplate`): providers send
 * every content delta of a stream with the same id, model, index and finish reason, so after one chunk
 * was parsed in full the next ones only differ in the literal.
 */
export type ChatChunkTemplate = StringFieldTemplate;

const META_KEYS = new Set(['id', 'object', 'created', 'model', 'system_fingerprint', 'service_tier']);
const CHOICE_KEYS = new Set(['index', 'delta', 'finish_reason', 'logprobs']);

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

/**
 * Cuts a fully parsed chunk (`data` is its raw text) into a template, when it is a plain content delta:
 * one choice, no finish reason or log probabilities, a delta with only `content`, meta fields only.
 */
export function learnChatChunkTemplate(
  data: string,
  chunk: Record<string, unknown>,
): ChatChunkTemplate | undefined {
  if (!isPlainContentChunk(chunk)) return undefined;
  // Meta values are not objects, so the delta's `content` is the only member of that name.
  const content = (chunk.choices as { delta: { content: string } }[])[0]?.delta.content ?? '';
  return cutStringFieldTemplate({ data, key: 'content', value: content });
}

/** The content of a chunk that has the template's exact shape, or undefined (then parse it in full). */
export const matchChatChunkTemplate = matchStringFieldTemplate;

/** The chunk with `content` in place of the template's literal. */
export const fillChatChunkTemplate = fillStringFieldTemplate;
