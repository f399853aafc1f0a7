/**
 * Placeholders look like `<EMAIL_ADDRESS_1>`: `<`, an upper-case type, `_`, a counter, `>`. The scan
 * pattern is bounded so it runs in linear time on any input.
 */
export const PLACEHOLDER_PATTERN = /<[A-Z][A-Z0-9_]{0,80}>/g;

/** Longest possible placeholder, in UTF-16 code units. */
export const MAX_PLACEHOLDER_LENGTH = 83;

/** Upper-cases a finding type and keeps only placeholder-safe characters. */
export function placeholderType(type: string): string {
  const cleaned = type
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_')
    .slice(0, 64);
  return /^[A-Z]/.test(cleaned) ? cleaned : `X${cleaned.slice(0, 63)}`;
}

/** True when `text` (starting with `<`) could still grow into a placeholder. */
export function isPlaceholderPrefix(text: string): boolean {
  if (text.length === 0 || text.length >= MAX_PLACEHOLDER_LENGTH || text.charCodeAt(0) !== 60) return false;
  for (let index = 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const upper = code >= 65 && code <= 90;
    const digitOrUnderscore = (code >= 48 && code <= 57) || code === 95;
    if (!(upper || (index > 1 && digitOrUnderscore))) return false;
  }
  return true;
}
