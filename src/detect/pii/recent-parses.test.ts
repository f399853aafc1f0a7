import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentParses } from './recent-parses.js';

/** The cache as a `Map` with `region|value` keys: a hit is deleted and set again, a full insert drops the first key. */
function mapModel(capacity: number) {
  const map = new Map<string, number>();
  return {
    get(region: string, value: string): number | undefined {
      const key = `${region}|${value}`;
      const item = map.get(key);
      if (item !== undefined) {
        map.delete(key);
        map.set(key, item);
      }
      return item;
    },
    add(region: string, value: string, item: number): void {
      if (map.size >= capacity) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
      map.set(`${region}|${value}`, item);
    },
    get size() {
      return map.size;
    },
  };
}

describe('RecentParses', () => {
  it('hits and evicts exactly as a Map used as an LRU', () => {
    const operations = fc.array(
      fc.tuple(fc.constantFrom('US', 'DE', 'FR'), fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8')),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), operations, (capacity, keys) => {
        const cache = new RecentParses<number>(capacity);
        const model = mapModel(capacity);
        keys.forEach(([region, value], step) => {
          const found = cache.get(region, value);
          expect(found).toBe(model.get(region, value));
          if (found === undefined) {
            cache.add(region, value, step);
            model.add(region, value, step);
          }
          expect(cache.size).toBe(model.size);
        });
      }),
      { numRuns: 2000 },
    );
  });
});
