import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** Largest number of calls a caller may keep in flight (a judge server is not to be flooded). */
export const MAX_CONCURRENCY = 64;

/**
 * Maps `items` with at most `concurrency` calls in flight and returns the results in input order. After
 * the first failure no new item is started, the calls in flight are awaited, and the failure is thrown.
 */
export async function mapWithConcurrency<T, R>(options: {
  items: readonly T[];
  concurrency: number;
  map: (item: T, index: number) => Promise<R> | R;
}): Promise<R[]> {
  const { items, concurrency, map } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `concurrency must be an integer from 1 to ${MAX_CONCURRENCY}`,
    );
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await map(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
