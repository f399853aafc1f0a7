import { createBufferSource } from '../byte-source.js';
import { DEFAULT_LIMITS, type ScanLimits } from '../limits.js';
import { type SourceResult, scanSource } from '../model/scan-source.js';

/** Scans in-memory bytes as if they were a file called `name`. */
export function scanBytes(
  bytes: Uint8Array,
  limits: Partial<ScanLimits> = {},
  name = 'sample',
): SourceResult {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  return scanSource(createBufferSource(bytes), {
    location: name,
    limits: merged,
    depth: 0,
    budget: { inflatedBytes: merged.maxArchiveBytes },
  });
}

/** Rule ids of a result, in order. */
export function ruleIds(result: SourceResult): string[] {
  return result.findings.map((finding) => finding.rule);
}
