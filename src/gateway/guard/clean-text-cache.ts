/** Remembers texts that a guard found clean, so unchanged history and system prompts are not re-checked. */
export interface CleanTextCache {
  has(role: string, text: string): boolean;
  add(role: string, text: string): void;
  readonly size: number;
}

/** Options of `createCleanTextCache`. */
export interface CleanTextCacheOptions {
  /** Entries kept (entries not used since they were last passed over are dropped first). */
  maxEntries: number;
  /** Longer texts are never cached (bounds memory to about maxEntries × maxTextLength characters). */
  maxTextLength: number;
}

interface Entry {
  role: string;
  text: string;
  /** Found again since the eviction queue last passed over it. */
  used: boolean;
}

/**
 * A bounded set of (role, text) pairs whose check produced no finding and no error. The guard judges
 * each message on its own (findings of one message never depend on another), so a clean message stays
 * clean for the same guard; a new guard (policy change) starts with a new cache. Conversations resend
 * their whole history on every turn, so without this the work per request grows with the conversation.
 *
 * Eviction is "second chance" (CLOCK), an approximation of least-recently-used: a hit only sets a flag
 * (no reordering on the hot path), and the oldest entry is dropped only if it was not found again since
 * the queue last passed it; otherwise it goes back to the end. So a system prompt sent with every
 * request stays however many one-off user prompts pass through, where plain FIFO re-checked it every
 * `maxEntries` new texts.
 */
export function createCleanTextCache(options: CleanTextCacheOptions): CleanTextCache {
  // One map per role, keyed by the text itself: no key concatenation on the hot path.
  const byRole = new Map<string, Map<string, Entry>>();
  let size = 0;
  let order: Entry[] = [];
  let head = 0;

  function evictOne(): void {
    // Each entry is passed over at most once with its flag set (which clears it), so this ends within
    // size + 1 steps.
    while (head < order.length) {
      const oldest = order[head++] as Entry;
      if (oldest.used) {
        oldest.used = false;
        order.push(oldest);
        continue;
      }
      byRole.get(oldest.role)?.delete(oldest.text);
      size--;
      break;
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
      const entry = byRole.get(role)?.get(text);
      if (entry === undefined) return false;
      entry.used = true;
      return true;
    },
    add(role, text) {
      if (text.length > options.maxTextLength || options.maxEntries === 0) return;
      let entries = byRole.get(role);
      if (entries === undefined) {
        entries = new Map();
        byRole.set(role, entries);
      }
      if (entries.has(text)) return;
      const entry: Entry = { role, text, used: false };
      entries.set(text, entry);
      order.push(entry);
      size++;
      if (size > options.maxEntries) evictOne();
    },
    get size() {
      return size;
    },
  };
}
