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
  get(key: string): readonly Finding[] | undefined;
  set(key: string, findings: readonly Finding[]): void;
}

/**
 * Chat clients send the whole conversation on every turn, so the same messages are checked again and
 * again; detectors are pure functions of text and context, so their findings can be reused. Findings are
 * frozen when cached so no caller can change what a later verdict sees. Failures are never cached.
 */
export function createFindingsCache(options: FindingsCacheOptions = {}): FindingsCache {
  const maxEntries = options.maxEntries ?? 1024;
  const maxCharacters = options.maxCharacters ?? 4_000_000;
  const entries = new Map<string, readonly Finding[]>();
  let characters = 0;
  return {
    get(key) {
      const found = entries.get(key);
      if (found !== undefined) {
        // Refresh recency: Map iteration order is insertion order.
        entries.delete(key);
        entries.set(key, found);
      }
      return found;
    },
    set(key, findings) {
      if (key.length > maxCharacters / 4 || maxEntries === 0 || entries.has(key)) return;
      for (const finding of findings) Object.freeze(finding);
      entries.set(key, Object.freeze(findings));
      characters += key.length;
      while (entries.size > maxEntries || characters > maxCharacters) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
        characters -= oldest.length;
      }
    },
  };
}

/** The cache key of one text: everything detectors see (role, filter, system prompt, canaries, text). */
export function findingsCacheKey(options: {
  role: string;
  text: string;
  detectors: readonly string[] | undefined;
  systemPrompt: string | undefined;
  canaries: readonly string[] | undefined;
}): string {
  const filter = options.detectors === undefined ? '*' : options.detectors.join(',');
  const canaries = options.canaries === undefined ? '' : options.canaries.join('\u0002');
  return `${options.role}\u0001${filter}\u0001${options.systemPrompt ?? ''}\u0001${canaries}\u0001${options.text}`;
}
