/** One cached parse, linked into the recency list. */
interface Entry<T> {
  readonly region: string;
  readonly value: string;
  readonly item: T;
  older: Entry<T> | undefined;
  newer: Entry<T> | undefined;
}

/**
 * A least-recently-used cache keyed by a region and a value, for parses that are costly to repeat.
 * Lookups go through one map per region, so no combined key string is built per lookup, and a hit
 * moves its entry to the recent end of a linked list instead of deleting and re-inserting a map entry
 * (both were most of the cost of a hit). Eviction order is exactly that of a `Map` used as an LRU with
 * `region|value` keys: a hit makes an entry the most recent, an insert into a full cache drops the
 * least recent first.
 */
export class RecentParses<T> {
  readonly #byRegion = new Map<string, Map<string, Entry<T>>>();
  #oldest: Entry<T> | undefined;
  #newest: Entry<T> | undefined;
  #size = 0;

  constructor(readonly capacity: number) {}

  /** Number of cached parses. */
  get size(): number {
    return this.#size;
  }

  /** The cached item, now the most recent, or undefined. */
  get(region: string, value: string): T | undefined {
    const entry = this.#byRegion.get(region)?.get(value);
    if (entry === undefined) return undefined;
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#append(entry);
    }
    return entry.item;
  }

  /** Caches an item that `get` did not find, dropping the least recent one when full. */
  add(region: string, value: string, item: T): void {
    if (this.#size >= this.capacity && this.#oldest !== undefined) {
      const oldest = this.#oldest;
      this.#unlink(oldest);
      this.#byRegion.get(oldest.region)?.delete(oldest.value);
      this.#size -= 1;
    }
    let values = this.#byRegion.get(region);
    if (values === undefined) {
      values = new Map();
      this.#byRegion.set(region, values);
    }
    const entry: Entry<T> = { region, value, item, older: undefined, newer: undefined };
    values.set(value, entry);
    this.#append(entry);
    this.#size += 1;
  }

  #unlink(entry: Entry<T>): void {
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  #append(entry: Entry<T>): void {
    entry.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }
}
