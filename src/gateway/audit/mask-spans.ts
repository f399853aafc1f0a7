import { placeholderType } from '../../guard/placeholder-pattern.js';

/** A span of a text to hide in an audit copy, and the finding type its mask names. */
export interface MaskSpan {
  start: number;
  end: number;
  type: string;
}

/** The typed mask that stands for a hidden value in an audit copy (`[REDACTED:EMAIL_ADDRESS]`). */
export function auditMask(type: string): string {
  return `[REDACTED:${placeholderType(type)}]`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A span clamped to the text and widened to whole code points; empty when nothing of the text is in it. */
function clampSpan(text: string, span: MaskSpan): { start: number; end: number } {
  // A span that is not a pair of numbers hides the whole text rather than none of it.
  let start = Number.isFinite(span.start) ? Math.max(0, Math.floor(span.start)) : 0;
  let end = Number.isFinite(span.end) ? Math.min(text.length, Math.ceil(span.end)) : text.length;
  if (end <= start) return { start, end: start };
  // Offsets are UTF-16 code units: a span that starts or ends inside a surrogate pair would leave half of
  // an astral character (a lone surrogate) next to the mask.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1)))
    start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1)))
    end++;
  return { start, end };
}

/**
 * Replaces every span of `text` by a typed mask. Overlapping spans become one mask, named after the span
 * that starts first (the longest when two start together), as the guard's own redaction merges them, so
 * no part of either value survives. Spans are clamped to the text and widened to whole code points.
 */
export function maskSpans(text: string, spans: readonly MaskSpan[]): string {
  if (spans.length === 0) return text;
  const ordered = spans
    .map((span) => ({ ...clampSpan(text, span), type: span.type }))
    .filter((span) => span.end > span.start)
    .sort((left, right) => left.start - right.start || right.end - left.end);
  const parts: string[] = [];
  let cursor = 0;
  let index = 0;
  while (index < ordered.length) {
    const first = ordered[index]!;
    let end = first.end;
    index++;
    while (index < ordered.length && ordered[index]!.start < end) {
      end = Math.max(end, ordered[index]!.end);
      index++;
    }
    parts.push(text.slice(cursor, first.start), auditMask(first.type));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

/** Values shorter than this are not masked where no finding marks them (they could be any word). */
const MIN_REPEATED_VALUE = 4;
/** Distinct values looked for per text (bounds the work on a text with very many findings). */
const MAX_REPEATED_VALUES = 256;

/**
 * Masks the other occurrences of values that findings marked once: a detector can find a value in one
 * place and miss it in another (different context), and neither may be stored. Longer values first, so
 * a value that contains another is masked whole.
 */
export function maskRepeatedValues(text: string, values: readonly { value: string; type: string }[]): string {
  const seen = new Set<string>();
  const ordered = values
    .filter((entry) => entry.value.length >= MIN_REPEATED_VALUE)
    .sort((left, right) => right.value.length - left.value.length);
  let result = text;
  for (const entry of ordered) {
    if (seen.size >= MAX_REPEATED_VALUES) break;
    if (seen.has(entry.value)) continue;
    seen.add(entry.value);
    if (result.includes(entry.value)) result = result.split(entry.value).join(auditMask(entry.type));
  }
  return result;
}
