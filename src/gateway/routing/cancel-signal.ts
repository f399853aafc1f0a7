import { errors } from 'undici';

/** The part of `AbortSignal` the upstream client uses (an `AbortSignal` fits). */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A cancel signal and the function that fires it. */
export interface Cancellation extends CancelSignal {
  /** Fires the signal once (later calls do nothing); listeners run at once. */
  abort(): void;
}

/**
 * A cancel signal for one upstream request. Every streamed request needs one (a caller that leaves
 * must stop the upstream), but almost none fires it: unlike `AbortController` (an `EventTarget` and a
 * DOM-style signal, a measurable cost per request) this is a plain object until it fires. Aborting
 * rejects the request with undici's `RequestAbortedError` (name `AbortError`), as an `AbortSignal` would.
 */
export function createCancellation(): Cancellation {
  let listeners: (() => void)[] | undefined;
  const cancellation = {
    aborted: false,
    reason: undefined as unknown,
    addEventListener(_type: 'abort', listener: () => void): void {
      if (cancellation.aborted) return;
      listeners ??= [];
      listeners.push(listener);
    },
    removeEventListener(_type: 'abort', listener: () => void): void {
      if (listeners === undefined) return;
      const index = listeners.indexOf(listener);
      if (index !== -1) listeners.splice(index, 1);
    },
    abort(): void {
      if (cancellation.aborted) return;
      cancellation.aborted = true;
      cancellation.reason = new errors.RequestAbortedError();
      const waiting = listeners ?? [];
      listeners = undefined;
      for (const listener of waiting) listener();
    },
  };
  return cancellation;
}
