import type { Guard } from '../../guard/types.js';
import { type CleanTextCache, createCleanTextCache } from '../guard/clean-text-cache.js';
import type { MaskSpan } from './mask-spans.js';

/** Finds PII and secrets in texts: the spans of each text, or `undefined` when the check failed. */
export type SensitiveScan = (texts: readonly string[]) => MaskSpan[][] | undefined;

// Texts are scanned in one guard call (one detector set-up, not one per string), joined by a blank
// line so that no value runs from one text into the next.
const SEPARATOR = '\n\n';
const CACHE_ROLE = 'audit';

// Tool definitions, response formats and metadata repeat on every request of an application: texts
// found without PII or secrets are remembered per guard (a new guard, a new policy, starts afresh), with
// the input cache's default bounds (2,048 texts of at most 8,192 characters).
const cleanTexts = new WeakMap<Guard, CleanTextCache>();

function cacheFor(guard: Guard): CleanTextCache {
  let cache = cleanTexts.get(guard);
  if (cache === undefined) {
    cache = createCleanTextCache({ maxEntries: 2048, maxTextLength: 8192 });
    cleanTexts.set(guard, cache);
  }
  return cache;
}

/**
 * Runs the guard's PII and secrets detectors (with the policy's thresholds and allowlists, as user text)
 * over texts the input guard does not check, so that the audit copy can mask what they hold. A detector
 * failure gives `undefined`: the caller then stores none of the texts.
 */
export function scanSensitiveTexts(options: {
  guard: Guard;
  texts: readonly string[];
}): MaskSpan[][] | undefined {
  const { guard, texts } = options;
  const result: MaskSpan[][] = texts.map(() => []);
  const cache = cacheFor(guard);
  const pending: number[] = [];
  for (let index = 0; index < texts.length; index++)
    if (!cache.has(CACHE_ROLE, texts[index]!)) pending.push(index);
  if (pending.length === 0) return result;
  const offsets: number[] = [];
  let offset = 0;
  for (const index of pending) {
    offsets.push(offset);
    offset += texts[index]!.length + SEPARATOR.length;
  }
  let findings: ReturnType<Guard['redact']>['findings'];
  try {
    // A vault of its own: the placeholders this creates must not join the request's.
    findings = guard.redact(pending.map((index) => texts[index]!).join(SEPARATOR), {
      role: 'user',
      detectors: ['pii', 'secrets'],
      vault: guard.createVault(),
    }).findings;
  } catch {
    return undefined;
  }
  for (const finding of findings) {
    // The last text starting at or before the finding, then every text the span reaches into.
    let low = 0;
    let high = offsets.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (offsets[middle]! <= finding.start) low = middle;
      else high = middle - 1;
    }
    for (let position = low; position < pending.length && offsets[position]! < finding.end; position++) {
      const base = offsets[position]!;
      const text = texts[pending[position]!]!;
      const start = Math.max(finding.start, base) - base;
      const end = Math.min(finding.end, base + text.length) - base;
      if (end > start) result[pending[position]!]!.push({ start, end, type: finding.type });
    }
  }
  for (const index of pending) if (result[index]!.length === 0) cache.add(CACHE_ROLE, texts[index]!);
  return result;
}
