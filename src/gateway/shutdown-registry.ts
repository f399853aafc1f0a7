import type { Cancellation } from './routing/cancel-signal.js';

/**
 * The upstream requests in flight, so that a shutdown whose grace period ran out can cancel them: a
 * stream then ends with its API's error event and a whole request with a 503 (`AEGIS_SHUTTING_DOWN`),
 * instead of a connection cut in the middle, which a caller cannot tell from a network fault.
 */
export interface ShutdownRegistry {
  /** True once the shutdown cancelled the requests in flight. */
  readonly stopping: boolean;
  /** Tracks a request's cancellation; the returned function forgets it (call it when the response closes). */
  track(cancellation: Cancellation): () => void;
  /** Marks the shutdown and cancels every tracked request. */
  cancelAll(): void;
}

/** Creates the registry of a gateway. */
export function createShutdownRegistry(): ShutdownRegistry {
  const tracked = new Set<Cancellation>();
  let stopping = false;
  return {
    get stopping() {
      return stopping;
    },
    track(cancellation) {
      tracked.add(cancellation);
      return () => tracked.delete(cancellation);
    },
    cancelAll() {
      stopping = true;
      for (const cancellation of tracked) cancellation.abort();
      tracked.clear();
    },
  };
}
