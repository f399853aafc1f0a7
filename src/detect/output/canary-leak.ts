import type { NormalizedText } from '../../spec/text.js';
import type { OutputMatch } from './output-match.js';

/** ASCII characters that are neither letters nor digits. */
export const ASCII_SEPARATORS = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/g;

/** Letters and digits only, lower-cased, with a map back to the text: `C-A N_A RY` → `canary`. */
function compact(text: string): { value: string; offsets: Int32Array } {
  const offsets = new Int32Array(text.length);
  let value = '';
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isLetterOrDigit =
      (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!isLetterOrDigit && code < 128) continue;
    value += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[index];
    offsets[length++] = index;
  }
  return { value, offsets: offsets.subarray(0, length) };
}

function allIndexes(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle.length === 0) return found;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length))
    found.push(at);
  return found;
}

function leak(options: { start: number; end: number; score: number; how: string }): OutputMatch {
  return {
    ruleId: `output.canary-leak-${options.how}`,
    type: 'CANARY_LEAK',
    category: 'system-prompt-leak',
    score: options.score,
    severity: 'critical',
    start: options.start,
    end: options.end,
    evidence: `canary (${options.how})`,
  };
}

/**
 * Canary tokens planted in a prompt and seen in output: exact, case-insensitive, and after normalization
 * (NFKC, invisible characters removed) and with separators stripped, so `C-A-N-A-R-Y` still counts.
 * Spans point into the original text. Canaries under 6 letters or digits are only matched exactly.
 */
export function findCanaryLeaks(normalized: NormalizedText, canaries: readonly string[]): OutputMatch[] {
  const { original } = normalized;
  const found: OutputMatch[] = [];
  const lowerOriginal = original.toLowerCase();
  const lowerNormalized = normalized.changed ? normalized.text.toLowerCase() : lowerOriginal;
  let compacted: ReturnType<typeof compact> | undefined;
  let squeezed: string | undefined;
  for (const canary of canaries) {
    if (canary.length === 0) continue;
    for (const at of allIndexes(original, canary)) {
      found.push(leak({ start: at, end: at + canary.length, score: 1, how: 'exact' }));
    }
    const lowerCanary = canary.toLowerCase();
    // Lower-casing keeps lengths for the scripts canaries use; skip the rare case where it does not.
    if (lowerOriginal.length === original.length) {
      for (const at of allIndexes(lowerOriginal, lowerCanary)) {
        found.push(leak({ start: at, end: at + canary.length, score: 0.97, how: 'case-insensitive' }));
      }
    }
    if (normalized.changed && lowerNormalized.length === normalized.text.length) {
      for (const at of allIndexes(lowerNormalized, lowerCanary)) {
        const start = normalized.toOriginal(at);
        found.push(
          leak({ start, end: normalized.toOriginal(at + canary.length), score: 0.95, how: 'normalized' }),
        );
      }
    }
    const compactCanary = compact(canary.normalize('NFKC')).value;
    if (compactCanary.length >= 6) {
      // Cheap check first: drop ASCII punctuation and spaces with one native replace; build the offset
      // map only when the canary is really there.
      squeezed ??= lowerNormalized.replace(ASCII_SEPARATORS, '');
      if (!squeezed.includes(compactCanary)) continue;
      compacted ??= compact(normalized.text);
      for (const at of allIndexes(compacted.value, compactCanary)) {
        const first = compacted.offsets[at] ?? 0;
        const last = compacted.offsets[at + compactCanary.length - 1] ?? first;
        const start = normalized.toOriginal(first);
        found.push(leak({ start, end: normalized.toOriginal(last + 1), score: 0.9, how: 'separated' }));
      }
    }
  }
  return found;
}
