import type { ResponseGuard } from './response-guard.js';

/** A JSON value (tool input) after the output check. */
export type CheckedJsonValue =
  /** The checked value: placeholders restored, redacted spans replaced. */
  | { value: unknown }
  /** The checked JSON text, when a redaction left it unparsable: send it as text, never the original. */
  | { text: string };

/**
 * Checks a JSON value the model wrote (an Anthropic `tool_use` input) as its JSON text, as the guard
 * checks streamed tool arguments, and gives back the checked value: placeholders are restored
 * JSON-escaped, so the text parses again. A redaction can cut an escape sequence (`\n` then an e-mail
 * address): then the checked text itself is returned, as streamed arguments would carry it. Null when the
 * check stops the response.
 */
export function checkedJsonValue(guard: ResponseGuard, value: unknown): CheckedJsonValue | null {
  const text = JSON.stringify(value);
  const checked = guard.wholeText(text, 'json');
  if (checked === null) return null;
  if (checked === text) return { value };
  try {
    return { value: JSON.parse(checked) as unknown };
  } catch {
    return { text: checked };
  }
}
