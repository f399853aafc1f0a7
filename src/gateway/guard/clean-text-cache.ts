/** Remembers texts that a guard found clean, so unchanged history and system prompts are not re-checked. */
export interface CleanTextCache {
  has(role: string, text: string): boolean;
  add(role: string, text: string): void;
  readonly size: number;
}

/** Options of `createCleanTextCache`. */
export interface CleanTextCacheOptions {
  /** Entries kept (least recently used ones are dropped). */
  maxEntries: number;
  /** Longer texts are never cached (bounds memory to about maxEntries × maxTextLength characters). */
  maxTextLength: number;
}

/**
 * A bounded LRU set of (role, text) pairs whose check produced no finding and no error. The guard judges
 * each message on its own (findings of one message never depend on another), so a clean message stays
 * clean for the same guard; a new guard (policy change) starts with a new cache. Conversations resend
 * their whole history on every turn, so without this the work per request grows with the conversation.
 */
export function createCleanTextCache(options: CleanTextCacheOptions): CleanTextCache {
  const entries = new Map<string, true>();
  const keyOf = (role: string, text: string): string => `${role}\u0000${text}`;
  return {
    has(role, text) {
      if (text.length > options.maxTextLength || entries.size === 0) return false;
      const key = keyOf(role, text);
      if (!entries.has(key)) return false;
      // Refresh recency: Map iteration order is insertion order.
      entries.delete(key);
      entries.set(key, true);
      return true;
    },
    add(role, text) {
      if (text.length > options.maxTextLength || options.maxEntries === 0) return;
      const key = keyOf(role, text);
      entries.delete(key);
      entries.set(key, true);
      if (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
