import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCleanTextCache } from './clean-text-cache.js';

describe('createCleanTextCache', () => {
  it('keeps a text found on every request however many one-off texts pass through', () => {
    const cache = createCleanTextCache({ maxEntries: 8, maxTextLength: 1_000 });
    cache.add('system', 'You are the travel assistant.');
    for (let request = 0; request < 1_000; request++) {
      expect(cache.has('system', 'You are the travel assistant.')).toBe(true);
      cache.add('user', `one-off prompt ${request}`);
    }
    expect(cache.size).toBe(8);
    // The one-off texts are dropped oldest first.
    expect(cache.has('user', 'one-off prompt 999')).toBe(true);
    expect(cache.has('user', 'one-off prompt 0')).toBe(false);
  });

  it('drops a text not found again once the queue passes it', () => {
    const cache = createCleanTextCache({ maxEntries: 2, maxTextLength: 100 });
    cache.add('user', 'a');
    cache.add('user', 'b');
    expect(cache.has('user', 'a')).toBe(true);
    cache.add('user', 'c'); // 'a' was used: 'b' goes
    expect(cache.has('user', 'b')).toBe(false);
    // 'a' went back to the end of the queue, behind 'c': 'c' goes first, then 'a', not found again.
    cache.add('user', 'd');
    expect(cache.has('user', 'c')).toBe(false);
    cache.add('user', 'e');
    expect(cache.has('user', 'a')).toBe(false);
    expect(cache.has('user', 'd')).toBe(true);
    expect(cache.has('user', 'e')).toBe(true);
  });

  it('never holds more than maxEntries, and only texts it was given', () => {
    const operation = fc.record({
      add: fc.boolean(),
      role: fc.constantFrom('user', 'system', 'tool'),
      text: fc.string({ maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(operation, { maxLength: 200 }),
        (max, operations) => {
          const cache = createCleanTextCache({ maxEntries: max, maxTextLength: 2 });
          const given = new Set<string>();
          for (const { add, role, text } of operations) {
            if (add) {
              cache.add(role, text);
              if (text.length <= 2) given.add(`${role}\u0000${text}`);
            } else if (cache.has(role, text)) {
              expect(given.has(`${role}\u0000${text}`)).toBe(true);
            }
            expect(cache.size).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });
});
