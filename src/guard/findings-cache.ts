import type { Finding } from '../spec/finding.js';

/** Bounds of the findings cache. */
export interface FindingsCacheOptions {
  /** Most texts remembered (default 1024). */
  maxEntries?: number;
  /** Most characters of text remembered in total (default 4,000,000); longer single texts are not cached. */
  maxCharacters?: number;
}

/** Remembers the findings of recently checked texts (least recently used goes first). */
export interface FindingsCache {
  /** Findings of `text` checked under `context` (see `findingsCacheContext`), if remembered. */
  get(text: string, context?: string): readonly Finding[] | undefined;
  set(text: string, findings: readonly Finding[], context?: string): void;
}

/** The findings of one text, per context it was checked under (usually one), in the recency list. */
interface Entry {
  readonly text: string;
  contexts: string[];
  findings: (readonly Finding[])[];
  characters: number;
  /** The next more recently used entry (`undefined` for the newest). */
  newer: Entry | undefined;
  /** The next less recently used entry (`undefined` for the oldest). */
  older: Entry | undefined;
}

/**
 * Chat clients send the whole conversation on every turn, so the same messages are checked again and
 * again; detectors are pure functions of text and context, so their findings can be reused. Findings are
 * frozen when cached so no caller can change what a later verdict sees. Failures are never cached.
 *
 * Entries are keyed by the text itself, not by a string joined from context and text: a joined key is a
 * new string on every call, which the map must copy and hash in full, while a text's hash is computed
 * once and kept by the engine. Recency and eviction work per text (all its contexts go together); every
 * (text, context) pair counts toward `maxEntries` and `maxCharacters`.
 *
 * Recency is a doubly linked list through the entries: a hit moves its entry to the front in constant
 * time. (Deleting and re-inserting the map key on every hit, as an insertion-ordered map would need,
 * leaves a deleted slot per hit that the map must compact by rehashing all its keys, which made the
 * lookups of a busy gateway cost more than checking a short text.)
 */
export function createFindingsCache(options: FindingsCacheOptions = {}): FindingsCache {
  const maxEntries = options.maxEntries ?? 1024;
  const maxCharacters = options.maxCharacters ?? 4_000_000;
  const entries = new Map<string, Entry>();
  let newest: Entry | undefined;
  let oldest: Entry | undefined;
  let pairs = 0;
  let characters = 0;

  const unlink = (entry: Entry): void => {
    if (entry.newer === undefined) newest = entry.older;
    else entry.newer.older = entry.older;
    if (entry.older === undefined) oldest = entry.newer;
    else entry.older.newer = entry.newer;
    entry.newer = undefined;
    entry.older = undefined;
  };
  const pushNewest = (entry: Entry): void => {
    entry.older = newest;
    entry.newer = undefined;
    if (newest === undefined) oldest = entry;
    else newest.newer = entry;
    newest = entry;
  };

  return {
    get(text, context = '') {
      const entry = entries.get(text);
      if (entry === undefined) return undefined;
      const index = entry.contexts.indexOf(context);
      if (index === -1) return undefined;
      if (entry !== newest) {
        unlink(entry);
        pushNewest(entry);
      }
      return entry.findings[index];
    },
    set(text, findings, context = '') {
      const size = text.length + context.length;
      if (size > maxCharacters / 4 || maxEntries === 0) return;
      let entry = entries.get(text);
      if (entry?.contexts.includes(context)) return;
      for (const finding of findings) Object.freeze(finding);
      if (entry === undefined) {
        entry = { text, contexts: [], findings: [], characters: 0, newer: undefined, older: undefined };
        entries.set(text, entry);
        pushNewest(entry);
      }
      entry.contexts.push(context);
      entry.findings.push(Object.freeze(findings));
      entry.characters += size;
      pairs += 1;
      characters += size;
      while ((pairs > maxEntries || characters > maxCharacters) && oldest !== undefined) {
        const evicted = oldest;
        unlink(evicted);
        entries.delete(evicted.text);
        pairs -= evicted.contexts.length;
        characters -= evicted.characters;
      }
    },
  };
}

/** The cache context of one check: everything detectors see besides the text (role, filter, prompt, canaries). */
export function findingsCacheContext(options: {
  role: string;
  detectors: readonly string[] | undefined;
  systemPrompt: string | undefined;
  canaries: readonly string[] | undefined;
}): string {
  const filter = options.detectors === undefined ? '*' : options.detectors.join(',');
  const canaries = options.canaries === undefined ? '' : options.canaries.join('\u0002');
  return `${options.role}\u0001${filter}\u0001${options.systemPrompt ?? ''}\u0001${canaries}`;
}

/**
 * `findingsCacheContext` that remembers the last context of each role: a gateway checks every answer
 * under the same system prompt, which would otherwise be copied into a new context string, and compared
 * in full with the cached one, on every call. Reused only when the role and system prompt are equal and
 * no detector filter or canaries are given (arrays the caller could change between calls), so the context
 * is always the one `findingsCacheContext` would build.
 */
export function createCacheContexts(): typeof findingsCacheContext {
  const last = new Map<string, { systemPrompt: string | undefined; context: string }>();
  return (options) => {
    if (options.detectors !== undefined || options.canaries !== undefined)
      return findingsCacheContext(options);
    const remembered = last.get(options.role);
    if (remembered !== undefined && remembered.systemPrompt === options.systemPrompt)
      return remembered.context;
    const context = findingsCacheContext(options);
    last.set(options.role, { systemPrompt: options.systemPrompt, context });
    return context;
  };
}
