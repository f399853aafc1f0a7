import type { ResponseGuard } from './response-guard.js';

/** Most ranks of alternatives read (the API returns at most 20 `top_logprobs` per token). */
const MAX_RANKS = 20;

/**
 * The texts a chat choice's log probabilities spell (OpenAI API reference, "The chat completion object":
 * `logprobs.content` and `logprobs.refusal`, lists of `{token, logprob, bytes, top_logprobs}`): the chosen
 * tokens in order, and the alternatives of each rank in order. Each token alone is a piece of a word; put
 * together they are text the caller can read, which an upstream could make differ from the answer.
 */
function spelledTexts(logprobs: Record<string, unknown>): string[] {
  const texts: string[] = [];
  for (const list of [logprobs.content, logprobs.refusal]) {
    if (!Array.isArray(list)) continue;
    let chosen = '';
    const ranks: string[] = [];
    for (const entry of list as unknown[]) {
      if (entry === null || typeof entry !== 'object') continue;
      const record = entry as { token?: unknown; top_logprobs?: unknown };
      if (typeof record.token === 'string') chosen += record.token;
      if (!Array.isArray(record.top_logprobs)) continue;
      const alternatives = record.top_logprobs as unknown[];
      for (let rank = 0; rank < Math.min(alternatives.length, MAX_RANKS); rank++) {
        const token = (alternatives[rank] as { token?: unknown } | null)?.token;
        if (typeof token === 'string') ranks[rank] = (ranks[rank] ?? '') + token;
      }
    }
    texts.push(chosen, ...ranks.filter((text) => text !== undefined));
  }
  return texts;
}

/**
 * Checks the log probabilities of a whole chat choice: the texts their tokens spell (see `spelledTexts`)
 * are checked like the answer. They are kept only when every text passes unchanged; when a check would
 * change one (a key redacted, a placeholder restored) they are removed, as tokens cannot be redacted one
 * by one. Anything that is not a token (`logprob`, `bytes`) is a number. A blocked text stops the answer.
 * Returns false on a violation.
 */
export function guardChatLogprobs(guard: ResponseGuard, choice: Record<string, unknown>): boolean {
  const logprobs = choice.logprobs;
  if (logprobs === null || logprobs === undefined) return true;
  if (typeof logprobs !== 'object' || Array.isArray(logprobs)) {
    choice.logprobs = null;
    return true;
  }
  for (const text of spelledTexts(logprobs as Record<string, unknown>)) {
    if (text.length === 0) continue;
    const checked = guard.wholeText(text, 'text');
    if (checked === null) return false;
    // `audit` mode only records: the log probabilities pass as sent.
    if (checked !== text && guard.mode !== 'audit') {
      choice.logprobs = null;
      return true;
    }
  }
  return true;
}
