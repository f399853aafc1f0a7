/**
 * True when `host` is in the allowlist: an exact (case-insensitive) match, or a subdomain of an entry
 * written `*.example.com`.
 */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const lower = host.toLowerCase();
  for (const entry of allowedHosts) {
    const allowed = entry.toLowerCase();
    if (allowed.startsWith('*.')) {
      if (lower.endsWith(allowed.slice(1)) && lower.length > allowed.length - 1) return true;
    } else if (lower === allowed) return true;
  }
  return false;
}
