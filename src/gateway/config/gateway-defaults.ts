/**
 * Secure defaults of the gateway, in one place: loopback bind, bounded bodies and JSON depth, timeouts,
 * the `window` streaming guard, fail closed. Every other file reads these through the validated config.
 */
export const GATEWAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  dataDir: '.aegis',
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: 1_048_576,
  /** Largest upstream (non-streamed) response body accepted, in bytes. */
  responseLimitBytes: 16_777_216,
  /** Deepest JSON nesting accepted in a request body. */
  jsonDepthLimit: 64,
  /** Time allowed to receive a whole request body. */
  requestTimeoutMs: 30_000,
  /** Time bytes may wait in a caller's socket without moving before the caller is dropped (0: never). */
  writeStallTimeoutMs: 30_000,
  /** Least rate at which a caller with bytes waiting must take them, in bytes per second (0: no rule). */
  slowReaderBytesPerSecond: 1024,
  /** Time over which that rate is measured (only while bytes wait the whole time). */
  slowReaderWindowMs: 30_000,
  /** Time allowed for the upstream to send headers / between body chunks. */
  upstreamTimeoutMs: 60_000,
  upstreamConnections: 64,
  retries: 2,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 2_000,
  circuitFailureThreshold: 5,
  circuitCooldownMs: 30_000,
  streamingMode: 'window',
  /** Characters of text held back in `window` mode before release (longest pattern a detector needs). */
  windowHoldbackChars: 256,
  /** Upper bound of text held back while a construct (link, URL, token) is still open. */
  windowMaxHoldChars: 16_384,
  /** Characters of already released text re-checked with new text, for detectors that need context. */
  windowOverlapChars: 256,
  failMode: 'closed',
  /** Tool definitions in requests are checked for poisoning and secrets, and poisoned ones blocked. */
  toolDefinitions: 'block',
  /** Clean (role, text) pairs remembered; with the length cap this bounds the cache to ~32 MB. */
  inputCacheEntries: 2048,
  inputCacheMaxTextChars: 8192,
  shutdownGraceMs: 10_000,
  logLevel: 'info',
  simulatedModel: 'aegis-simulated',
} as const;
