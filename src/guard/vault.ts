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
  return new ConversationVault(options.maxEntries ?? DEFAULT_MAX_ENTRIES);
}

/**
 * The vault behind `createVault`. A class rather than an object literal because callers make one vault
 * per text or request: the `id` and `size` getters of a literal are defined anew on every object (about
 * 1 µs each time, measured), while a class keeps them on its prototype. The methods are getters that
 * return a function bound to this vault, made on first use and kept, so `const { restore } = vault`
 * works as it did with closures while a vault that is never used (most texts have nothing to redact)
 * allocates no function at all.
 */
class ConversationVault implements Vault {
  readonly #maxEntries: number;
  // Created on first use: most texts have nothing to redact, and callers make one vault per text.
  #id: string | undefined;
  #byValue: Map<string, string> | undefined;
  #byPlaceholder: Map<string, string> | undefined;
  #counters: Map<string, number> | undefined;
  #placeholderFor: ((type: string, value: string) => string) | undefined;
  #lookup: ((placeholder: string) => string | undefined) | undefined;
  #restore: ((text: string) => string) | undefined;
  #createRestorer: (() => StreamRestorer) | undefined;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get id(): string {
    this.#id ??= randomUUID();
    return this.#id;
  }

  get size(): number {
    return this.#byPlaceholder?.size ?? 0;
  }

  get placeholderFor(): (type: string, value: string) => string {
    this.#placeholderFor ??= (type, value) => this.#placeholder(type, value);
    return this.#placeholderFor;
  }

  get lookup(): (placeholder: string) => string | undefined {
    this.#lookup ??= (placeholder) => this.#byPlaceholder?.get(placeholder);
    return this.#lookup;
  }

  get restore(): (text: string) => string {
    this.#restore ??= (text) => this.#restoreText(text);
    return this.#restore;
  }

  get createRestorer(): () => StreamRestorer {
    this.#createRestorer ??= () => createStreamRestorer(this.restore);
    return this.#createRestorer;
  }

  #placeholder(type: string, value: string): string {
    this.#byValue ??= new Map();
    this.#byPlaceholder ??= new Map();
    this.#counters ??= new Map();
    const byValue = this.#byValue;
    const byPlaceholder = this.#byPlaceholder;
    const counters = this.#counters;
    const safeType = placeholderType(type);
    const key = `${safeType}\u0000${value}`;
    const known = byValue.get(key);
    if (known !== undefined) return known;
    // When full, still hide the value, but without a way back: memory stays bounded.
    if (byPlaceholder.size >= this.#maxEntries) return `<${safeType}>`;
    const counter = (counters.get(safeType) ?? 0) + 1;
    counters.set(safeType, counter);
    const placeholder = `<${safeType}_${counter}>`;
    byValue.set(key, placeholder);
    byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  #restoreText(text: string): string {
    const known = this.#byPlaceholder;
    if (known === undefined || text.indexOf('<') === -1) return text;
    return text.replace(PLACEHOLDER_PATTERN, (placeholder) => known.get(placeholder) ?? placeholder);
  }
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
