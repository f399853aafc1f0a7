import type { Finding } from '../spec/finding.js';
import type { RedactionOperator } from './redaction/redaction-operator.js';
import type { Vault } from './types.js';

/** One span to replace and the operator that replaces it. */
export interface RedactionSpan {
  finding: Finding;
  operator: RedactionOperator;
}

/**
 * Replaces the spans in `text`. Overlapping spans are merged into one, replaced by the operator and type
 * of the span that starts first (the longest one when two start together), so no part of either value
 * survives.
 */
export function applyRedactions(options: {
  text: string;
  spans: readonly RedactionSpan[];
  vault: Vault;
}): string {
  const { text, vault } = options;
  if (options.spans.length === 0) return text;
  const spans = [...options.spans].sort(
    (left, right) => left.finding.start - right.finding.start || right.finding.end - left.finding.end,
  );
  const parts: string[] = [];
  let cursor = 0;
  let index = 0;
  while (index < spans.length) {
    const first = spans[index]!;
    const start = first.finding.start;
    let end = first.finding.end;
    index++;
    while (index < spans.length && spans[index]!.finding.start < end) {
      end = Math.max(end, spans[index]!.finding.end);
      index++;
    }
    if (end <= start) continue;
    parts.push(text.slice(cursor, start));
    parts.push(first.operator.apply({ type: first.finding.type, value: text.slice(start, end), vault }));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
