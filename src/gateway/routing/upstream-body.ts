import { EventEmitter } from 'node:events';

/**
 * An upstream response body as the gateway reads it: the subset of `stream.Readable` it uses (`data`,
 * `end` and `error` events, pause/resume, destroy). A `Readable` (the simulated model) fits as it is.
 */
export interface UpstreamBody {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  once(event: 'data', listener: (chunk: Buffer) => void): this;
  once(event: 'end', listener: () => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
  off(event: 'data', listener: (chunk: Buffer) => void): this;
  off(event: 'end', listener: () => void): this;
  off(event: 'error', listener: (error: Error) => void): this;
  pause(): this;
  resume(): this;
  isPaused(): boolean;
  /** Stops reading; an upstream request still running is aborted (its connection is not reused). */
  destroy(): this;
  readonly destroyed: boolean;
  /** Bytes received and not yet delivered. */
  readonly readableLength: number;
}

/** Most bytes held while nobody reads before the upstream connection is paused (as `Readable`'s default). */
const HIGH_WATER_MARK = 65_536;

/**
 * A body fed by an undici dispatch handler, with `Readable`'s flow rules: chunks wait until a `data`
 * listener is attached (or `resume()` is called), `pause()` holds them, and the upstream socket is paused
 * while more than a high-water mark waits. It replaces undici's `request()` body stream (a full
 * `Readable` plus an async resource per response), which was a measurable share of the proxy's CPU time
 * per request; the events and their order are the same.
 */
export class PushBody extends EventEmitter implements UpstreamBody {
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #flowing = false;
  #paused = false;
  #ended = false;
  #endEmitted = false;
  #failure: Error | undefined;
  #destroyed = false;
  #scheduled = false;
  /** True after `push` asked the dispatcher to pause (only then is its resume function called). */
  #upstreamPaused = false;
  #resumeUpstream: () => void;
  #abortUpstream: (reason: Error) => void;

  constructor(options: { resumeUpstream: () => void; abortUpstream: (reason: Error) => void }) {
    super();
    this.#resumeUpstream = options.resumeUpstream;
    this.#abortUpstream = options.abortUpstream;
  }

  override on(event: 'data', listener: (chunk: Buffer) => void): this;
  override on(event: 'end', listener: () => void): this;
  override on(event: 'error', listener: (error: Error) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    super.on(event, listener as (...args: unknown[]) => void);
    this.#listenerAdded(event);
    return this;
  }

  override once(event: 'data', listener: (chunk: Buffer) => void): this;
  override once(event: 'end', listener: () => void): this;
  override once(event: 'error', listener: (error: Error) => void): this;
  override once(event: string | symbol, listener: (...args: never[]) => void): this;
  override once(event: string | symbol, listener: (...args: never[]) => void): this {
    super.once(event, listener as (...args: unknown[]) => void);
    this.#listenerAdded(event);
    return this;
  }

  #listenerAdded(event: string | symbol): void {
    if (event === 'data' && !this.#paused) {
      this.#flowing = true;
      this.#schedule();
    } else if (event === 'error' && this.#failure !== undefined) this.#schedule();
  }

  pause(): this {
    this.#paused = true;
    this.#flowing = false;
    return this;
  }

  resume(): this {
    this.#paused = false;
    this.#flowing = true;
    this.#schedule();
    return this;
  }

  isPaused(): boolean {
    return this.#paused;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  get readableLength(): number {
    return this.#queuedBytes;
  }

  destroy(): this {
    if (this.#destroyed) return this;
    this.#destroyed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    if (!this.#ended && this.#failure === undefined) {
      const reason = new Error('upstream body discarded');
      reason.name = 'AbortError';
      this.#abortUpstream(reason);
    }
    return this;
  }

  /** A chunk from the upstream; false asks the dispatcher to pause the connection. */
  push(chunk: Buffer): boolean {
    if (this.#destroyed) return true;
    if (this.#flowing && this.#queue.length === 0 && !this.#scheduled) {
      this.emit('data', chunk);
      return true;
    }
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#flowing) this.#schedule();
    if (this.#queuedBytes < HIGH_WATER_MARK) return true;
    this.#upstreamPaused = true;
    return false;
  }

  /** The upstream finished the body. */
  complete(): void {
    this.#ended = true;
    if (this.#destroyed) return;
    if (this.#flowing && this.#queue.length === 0 && !this.#scheduled) this.#emitEnd();
    else this.#schedule();
  }

  /** The upstream failed mid-body (reset, timeout). */
  fail(error: Error): void {
    if (this.#destroyed || this.#failure !== undefined || this.#endEmitted) return;
    this.#failure = error;
    this.#schedule();
  }

  // Buffered chunks are delivered on the next tick, as `Readable` does: listeners attached together
  // (`data`, then `end`) are all in place before anything is emitted.
  #schedule(): void {
    if (this.#scheduled || this.#destroyed) return;
    this.#scheduled = true;
    process.nextTick(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    if (this.#destroyed) return;
    if (this.#failure !== undefined) {
      // Like a destroyed stream: pending data is dropped and `error` goes to the listeners (kept until
      // one is attached, so a failure is never thrown as an unhandled `error` event).
      if (this.listenerCount('error') > 0) {
        const failure = this.#failure;
        this.#destroyed = true;
        this.#queue = [];
        this.#queuedBytes = 0;
        this.emit('error', failure);
      }
      return;
    }
    while (this.#flowing && !this.#destroyed && this.#failure === undefined && this.#queue.length > 0) {
      const chunk = this.#queue.shift() as Buffer;
      this.#queuedBytes -= chunk.length;
      this.emit('data', chunk);
    }
    if (this.#destroyed || this.#failure !== undefined) {
      // A failure reported while delivering (from a listener) is handled on the next tick.
      if (this.#failure !== undefined) this.#schedule();
      return;
    }
    if (!this.#flowing) return;
    if (this.#ended) this.#emitEnd();
    else if (this.#upstreamPaused && this.#queuedBytes < HIGH_WATER_MARK) {
      this.#upstreamPaused = false;
      this.#resumeUpstream();
    }
  }

  #emitEnd(): void {
    if (this.#endEmitted) return;
    this.#endEmitted = true;
    this.emit('end');
  }
}
