import { describe, expect, it } from 'vitest';
import { isAegisError } from '../spec/errors.js';
import { mapWithConcurrency } from './map-with-concurrency.js';

describe('mapWithConcurrency', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency({
      items: [30, 5, 20, 1, 10, 2],
      concurrency: 3,
      map: async (delay, index) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, delay));
        running--;
        return `${index}:${delay}`;
      },
    });
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2']);
    expect(most).toBeLessThanOrEqual(3);
    expect(await mapWithConcurrency({ items: [], concurrency: 2, map: () => 1 })).toEqual([]);
  });

  it('starts nothing new after a failure and throws it', async () => {
    const started: number[] = [];
    const failing = mapWithConcurrency({
      items: [0, 1, 2, 3, 4, 5],
      concurrency: 2,
      map: async (item) => {
        started.push(item);
        if (item === 1) throw new Error('judge down');
        return item;
      },
    });
    await expect(failing).rejects.toThrow('judge down');
    expect(started.length).toBeLessThan(6);
  });

  it('rejects a concurrency outside 1..64', async () => {
    for (const concurrency of [0, 65, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        await mapWithConcurrency({ items: [1], concurrency, map: (item) => item });
      } catch (error) {
        caught = error;
      }
      expect(isAegisError(caught, 'AEGIS_INVALID_ARGUMENT'), String(concurrency)).toBe(true);
    }
  });
});
