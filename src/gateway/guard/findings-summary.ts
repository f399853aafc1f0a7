import type { Finding } from '../../spec/finding.js';
import type { Verdict } from '../../spec/verdict.js';

/** A finding as shown to callers and written to logs: what and where, never the matched value. */
export interface FindingSummary {
  detector: string;
  family: Finding['family'];
  category: Finding['category'];
  type: string;
  severity: Finding['severity'];
  ruleId: string;
  score: number;
  /** Span in the checked text (offsets only, never the value). */
  start: number;
  end: number;
  /** Index of the checked text the finding came from. */
  message?: number;
  role?: string;
}

const MAX_SUMMARIES = 20;

/** What a finding is and where (offsets only), without the text it points at. */
export function summarizeFinding(finding: Finding): FindingSummary {
  return {
    detector: finding.detector,
    family: finding.family,
    category: finding.category,
    type: finding.type,
    severity: finding.severity,
    ruleId: finding.ruleId,
    score: Math.round(finding.score * 1000) / 1000,
    start: finding.start,
    end: finding.end,
  };
}

/** Summarises the findings of a verdict without evidence or spans (they could point at sensitive values). */
export function summarizeFindings(verdict: Verdict, roles?: readonly string[]): FindingSummary[] {
  const summaries: FindingSummary[] = [];
  const count = Math.min(verdict.findings.length, MAX_SUMMARIES);
  for (let index = 0; index < count; index++) {
    const finding = verdict.findings[index] as Finding;
    const summary = summarizeFinding(finding);
    const messageIndex = verdict.messageIndex?.[index];
    if (messageIndex !== undefined) {
      summary.message = messageIndex;
      const role = roles?.[messageIndex];
      if (role !== undefined) summary.role = role;
    }
    summaries.push(summary);
  }
  return summaries;
}
