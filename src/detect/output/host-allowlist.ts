/** Decides whether a host may receive links and images from model output. */
export interface HostAllowlist {
  allows(host: string): boolean;
}

/**
 * Builds an allowlist from entries such as `example.com` (the host and its subdomains), `*.example.com`
 * (subdomains only) or `cdn.example.com:8443` (the port is ignored). Comparison is case-insensitive and
 * ignores a trailing dot, as DNS does.
 */
export function createHostAllowlist(entries: readonly string[]): HostAllowlist {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of entries) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/:\d{1,5}$/, '')
      .replace(/\.$/, '');
    if (entry.length === 0) continue;
    if (entry.startsWith('*.')) {
      suffixes.push(entry.slice(1));
      continue;
    }
    exact.add(entry);
    suffixes.push(`.${entry}`);
  }
  return {
    allows(host) {
      const normalized = host.toLowerCase().replace(/\.$/, '');
      if (exact.has(normalized)) return true;
      return suffixes.some((suffix) => normalized.endsWith(suffix));
    },
  };
}
