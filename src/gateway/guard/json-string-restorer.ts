import type { StreamRestorer, Vault } from '../../guard/types.js';

// Placeholder shape of the guard's vault: `<TYPE_N>` (upper-case type, bounded length, linear-time scan).
const PLACEHOLDER = /<[A-Z][A-Z0-9_]{0,80}>/g;
const MAX_PLACEHOLDER_LENGTH = 83;

function couldBecomePlaceholder(text: string): boolean {
  if (text.length >= MAX_PLACEHOLDER_LENGTH) return false;
  for (let index = 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const upper = code >= 65 && code <= 90;
    if (!(upper || (index > 1 && ((code >= 48 && code <= 57) || code === 95)))) return false;
  }
  return true;
}

/**
 * Restores placeholders inside text that is itself JSON (tool-call arguments): originals are inserted
 * JSON-string-escaped, so a restored value with quotes or backslashes keeps the arguments valid JSON.
 */
export function restoreJsonText(vault: Vault, text: string): string {
  if (vault.size === 0 || text.indexOf('<') === -1) return text;
  return text.replace(PLACEHOLDER, (placeholder) => {
    const original = vault.lookup(placeholder);
    return original === undefined ? placeholder : JSON.stringify(original).slice(1, -1);
  });
}

/** Streaming form of `restoreJsonText`: holds back a possible placeholder split across chunks. */
export function createJsonTextRestorer(vault: Vault): StreamRestorer {
  let pending = '';
  return {
    push(chunk: string): string {
      const buffer = pending + chunk;
      const lastOpen = buffer.lastIndexOf('<');
      const cut =
        lastOpen !== -1 && couldBecomePlaceholder(buffer.slice(lastOpen)) ? lastOpen : buffer.length;
      pending = buffer.slice(cut);
      return restoreJsonText(vault, buffer.slice(0, cut));
    },
    flush(): string {
      const rest = restoreJsonText(vault, pending);
      pending = '';
      return rest;
    },
  };
}
