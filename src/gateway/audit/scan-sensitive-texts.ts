import type { Guard } from '../../guard/types.js';
import type { MaskSpan } from './mask-spans.js';

/** Finds PII and secrets in texts: the spans of each text, or `undefined` when the check failed. */
export type SensitiveScan = (texts: readonly string[]) => MaskSpan[][] | undefined;

// Texts are scanned in one guard call (one detector set-up, not one per string), joined by a blank
// line so that no value runs from one text into the next.
const SEPARATOR = '\n\n';

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
  if (texts.length === 0) return result;
  const offsets: number[] = [];
  let offset = 0;
  for (const text of texts) {
    offsets.push(offset);
    offset += text.length + SEPARATOR.length;
  }
  let findings: ReturnType<Guard['redact']>['findings'];
  try {
    // A vault of its own: the placeholders this creates must not join the request's.
    findings = guard.redact(texts.join(SEPARATOR), {
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
    for (let index = low; index < texts.length && offsets[index]! < finding.end; index++) {
      const base = offsets[index]!;
      const start = Math.max(finding.start, base) - base;
      const end = Math.min(finding.end, base + texts[index]!.length) - base;
      if (end > start) result[index]!.push({ start, end, type: finding.type });
    }
  }
  return result;
}
