import type { ResponseGuard } from './response-guard.js';

/** An error identifier (`invalid_request_error`, `rate_limit_exceeded`, `messages[0].content`). */
const IDENTIFIER = /^[A-Za-z0-9_.:[\]-]{1,64}$/;

/**
 * An identifier member of an upstream error as the caller may see it: a short identifier that the output
 * check leaves as it is (a secret can be shaped like one: `AKIA…`, `sk-…`), or a safe integer (vLLM and
 * Gemini send the HTTP status as `code`); null otherwise. Undefined when the check stops the response.
 */
export function checkedErrorIdentifier(
  guard: ResponseGuard,
  value: unknown,
): string | number | null | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) return null;
  const checked = guard.wholeText(value, 'text');
  if (checked === null) return undefined;
  return checked === value ? value : null;
}

/**
 * An upstream's error object (`{message, type, param, code}`, OpenAI API reference "Error codes";
 * `{type, message}` for Anthropic, "Errors") for the caller. The message is upstream text like any
 * answer (providers quote the request, with its placeholders, or the answer in it): it is checked and
 * restored. The `fields` are kept when they are short identifiers (see `checkedErrorIdentifier`), set to
 * null otherwise; every other member is dropped. Null when the check stops the response.
 */
export function checkedUpstreamError(options: {
  guard: ResponseGuard;
  error: unknown;
  fields: readonly string[];
}): Record<string, unknown> | null {
  const { guard, error } = options;
  const source = error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : {};
  const raw = typeof source.message === 'string' ? source.message : 'the upstream reported an error';
  const message = guard.wholeText(raw, 'text');
  if (message === null) return null;
  const checked: Record<string, unknown> = { message };
  for (const key of options.fields) {
    const value = checkedErrorIdentifier(guard, source[key]);
    if (value === undefined) return null;
    checked[key] = value;
  }
  return checked;
}
