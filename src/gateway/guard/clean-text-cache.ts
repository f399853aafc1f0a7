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
 * A bounded FIFO set of (role, text) pairs whose check produced no finding and no error. The guard judges
 * each message on its own (findings of one message never depend on another), so a clean message stays
 * clean for the same guard; a new guard (policy change) starts with a new cache. Conversations resend
 * their whole history on every turn, so without this the work per request grows with the conversation.
 */
export function createCleanTextCache(options: CleanTextCacheOptions): CleanTextCache {
  // One map per role, keyed by the text itself: no key concatenation on the hot path.
  const byRole = new Map<string, Map<string, true>>();
  let size = 0;
  let order: { role: string; text: string }[] = [];
  let head = 0;

  function evictOldest(): void {
    while (head < order.length) {
      const oldest = order[head++] as { role: string; text: string };
      const entries = byRole.get(oldest.role);
      if (entries?.delete(oldest.text)) {
        size--;
        break;
      }
    }
    // Compact the queue now and then so it stays bounded.
    if (head > options.maxEntries) {
      order = order.slice(head);
      head = 0;
    }
  }

  return {
    has(role, text) {
      if (size === 0 || text.length > options.maxTextLength) return false;
      return byRole.get(role)?.has(text) === true;
    },
    add(role, text) {
      if (text.length > options.maxTextLength || options.maxEntries === 0) return;
      let entries = byRole.get(role);
      if (entries === undefined) {
        entries = new Map();
        byRole.set(role, entries);
      }
      if (entries.has(text)) return;
      entries.set(text, true);
      order.push({ role, text });
      size++;
      if (size > options.maxEntries) evictOldest();
    },
    get size() {
      return size;
    },
  };
}
