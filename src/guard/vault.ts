import { randomUUID } from 'node:crypto';
import { isPlaceholderPrefix, PLACEHOLDER_PATTERN, placeholderType } from './placeholder-pattern.js';
import type { StreamRestorer, Vault } from './types.js';

/** Options of `createVault`. */
export interface VaultOptions {
  /** Most placeholders one vault holds (bounds memory); later values get an unnumbered `<TYPE>`. */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 50_000;

/**
 * A conversation vault: the same value of the same type always maps to the same placeholder
 * (`<EMAIL_ADDRESS_1>`), and `restore` puts originals back. Values stay in memory only.
 */
export function createVault(options: VaultOptions = {}): Vault {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  // Created on first use: most texts have nothing to redact, and callers make one vault per text.
  let id: string | undefined;
  let byValue: Map<string, string> | undefined;
  let byPlaceholder: Map<string, string> | undefined;
  let counters: Map<string, number> | undefined;

  const restore = (text: string): string => {
    if (byPlaceholder === undefined || text.indexOf('<') === -1) return text;
    const known = byPlaceholder;
    return text.replace(PLACEHOLDER_PATTERN, (placeholder) => known.get(placeholder) ?? placeholder);
  };

  return {
    get id() {
      id ??= randomUUID();
      return id;
    },
    placeholderFor(type: string, value: string): string {
      byValue ??= new Map();
      byPlaceholder ??= new Map();
      counters ??= new Map();
      const safeType = placeholderType(type);
      const key = `${safeType}\u0000${value}`;
      const known = byValue.get(key);
      if (known !== undefined) return known;
      // When full, still hide the value, but without a way back: memory stays bounded.
      if (byPlaceholder.size >= maxEntries) return `<${safeType}>`;
      const counter = (counters.get(safeType) ?? 0) + 1;
      counters.set(safeType, counter);
      const placeholder = `<${safeType}_${counter}>`;
      byValue.set(key, placeholder);
      byPlaceholder.set(placeholder, value);
      return placeholder;
    },
    lookup: (placeholder) => byPlaceholder?.get(placeholder),
    restore,
    createRestorer: () => createStreamRestorer(restore),
    get size() {
      return byPlaceholder?.size ?? 0;
    },
  };
}

/**
 * Restores streamed text chunk by chunk. A placeholder never contains `<` after its first character,
 * so holding back from the last `<` when what follows could still become a placeholder is enough to
 * never split one; everything before that point is final.
 */
function createStreamRestorer(restore: (text: string) => string): StreamRestorer {
  let pending = '';
  return {
    push(chunk: string): string {
      const buffer = pending + chunk;
      const lastOpen = buffer.lastIndexOf('<');
      const cut = lastOpen !== -1 && isPlaceholderPrefix(buffer.slice(lastOpen)) ? lastOpen : buffer.length;
      pending = buffer.slice(cut);
      return restore(buffer.slice(0, cut));
    },
    flush(): string {
      const rest = restore(pending);
      pending = '';
      return rest;
    },
  };
}
