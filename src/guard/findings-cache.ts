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

/** The findings of one text, per context it was checked under (usually one). */
interface Entry {
  contexts: string[];
  findings: (readonly Finding[])[];
  characters: number;
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
 */
export function createFindingsCache(options: FindingsCacheOptions = {}): FindingsCache {
  const maxEntries = options.maxEntries ?? 1024;
  const maxCharacters = options.maxCharacters ?? 4_000_000;
  const entries = new Map<string, Entry>();
  let pairs = 0;
  let characters = 0;
  return {
    get(text, context = '') {
      const entry = entries.get(text);
      if (entry === undefined) return undefined;
      const index = entry.contexts.indexOf(context);
      if (index === -1) return undefined;
      // Refresh recency: Map iteration order is insertion order.
      entries.delete(text);
      entries.set(text, entry);
      return entry.findings[index];
    },
    set(text, findings, context = '') {
      const size = text.length + context.length;
      if (size > maxCharacters / 4 || maxEntries === 0) return;
      let entry = entries.get(text);
      if (entry?.contexts.includes(context)) return;
      for (const finding of findings) Object.freeze(finding);
      if (entry === undefined) {
        entry = { contexts: [], findings: [], characters: 0 };
        entries.set(text, entry);
      }
      entry.contexts.push(context);
      entry.findings.push(Object.freeze(findings));
      entry.characters += size;
      pairs += 1;
      characters += size;
      while (pairs > maxEntries || characters > maxCharacters) {
        const oldest = entries.keys().next().value as string;
        const evicted = entries.get(oldest)!;
        entries.delete(oldest);
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
