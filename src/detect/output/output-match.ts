import type { Category } from '../../spec/finding.js';
import type { Severity } from '../../spec/severity.js';

/** A finding of the output family before spans are mapped back to the original text. */
export interface OutputMatch {
  ruleId: string;
  type: string;
  category: Category;
  score: number;
  severity: Severity;
  /** Offsets in the text the check ran on. */
  start: number;
  end: number;
  host?: string;
  evidence?: string;
}

/** Severity from a danger score, the same ladder for every output check. */
export function severityForScore(score: number): Severity {
  if (score >= 0.9) return 'critical';
  if (score >= 0.75) return 'high';
  if (score >= 0.5) return 'medium';
  if (score >= 0.3) return 'low';
  return 'info';
}

/** Short, single-line evidence: payloads are shown (they are not secrets) but truncated. */
export function snippet(text: string, start: number, end: number): string {
  const raw = text.slice(start, Math.min(end, start + 80)).replace(/\s+/g, ' ');
  return end - start > 80 ? `${raw}…` : raw;
}
