const MINUTE_MS = 60_000;

/**
 * A token bucket whose capacity is a per-minute limit, refilled continuously: O(1) memory per key, no
 * timers, and a burst may use the whole minute's allowance at once. Tokens may go negative (debt) when
 * real usage exceeds what was reserved.
 */
export interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Adds the tokens earned since the last update, up to `capacity`. */
export function refill(bucket: Bucket, capacity: number, now: number): void {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / MINUTE_MS);
  bucket.updatedAt = now;
}

/** Whole seconds (at least 1) until `bucket` holds `needed` tokens. */
export function secondsUntil(bucket: Bucket, capacity: number, needed: number): number {
  const deficit = needed - bucket.tokens;
  return Math.max(1, Math.ceil((deficit * MINUTE_MS) / capacity / 1000));
}
