import type { IncomingHttpHeaders } from 'node:http';

// Only these caller headers travel to an upstream; credentials, cookies and hop-by-hop headers never do.
const REQUEST_ALLOWLIST = [
  'accept',
  'accept-language',
  'anthropic-beta',
  'anthropic-version',
  'openai-beta',
  'user-agent',
] as const;

// Only these upstream headers travel back to the caller.
const RESPONSE_ALLOWLIST = new Set([
  'retry-after',
  'openai-processing-ms',
  'x-ratelimit-limit-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-requests',
  'x-ratelimit-reset-tokens',
]);

/** Copies the allowlisted caller headers into `target` (for the upstream request). */
export function copyAllowedRequestHeaders(source: IncomingHttpHeaders, target: Record<string, string>): void {
  for (const name of REQUEST_ALLOWLIST) {
    const value = source[name];
    if (typeof value === 'string' && value.length <= 1024) target[name] = value;
  }
}

/** True when an upstream response header may be returned to the caller. */
export function isAllowedResponseHeader(name: string): boolean {
  return RESPONSE_ALLOWLIST.has(name.toLowerCase());
}
