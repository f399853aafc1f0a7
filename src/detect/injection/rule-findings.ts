import type { InjectionFinding } from '../../spec/finding.js';
import type { Role } from '../../spec/role.js';
import { isDataRole } from '../../spec/role.js';
import type { Severity } from '../../spec/severity.js';
import type { RuleMatch } from './rule-signal.js';

/** Severity of an injection finding from the combined score. */
export function severityForScore(score: number): Severity {
  if (score >= 0.97) return 'critical';
  if (score >= 0.85) return 'high';
  if (score >= 0.6) return 'medium';
  if (score >= 0.3) return 'low';
  return 'info';
}

/**
 * Turns a rule match into a finding carrying the text's combined score. Matches revealed by decoding are
 * `ENCODED_PAYLOAD` findings; instructions planted in documents and tool results are indirect injection.
 */
export function matchToFinding(
  match: RuleMatch,
  options: { score: number; signals: readonly string[]; role: Role },
): InjectionFinding {
  const decoded = match.decodedFrom !== undefined && match.decodedFrom.length > 0;
  const category = decoded
    ? 'obfuscation'
    : isDataRole(options.role) && match.rule.category === 'prompt-injection'
      ? 'indirect-injection'
      : match.rule.category;
  const finding: InjectionFinding = {
    detector: 'injection',
    family: 'injection',
    category,
    type: decoded ? 'ENCODED_PAYLOAD' : match.rule.type,
    severity: severityForScore(options.score),
    score: options.score,
    start: match.start,
    end: match.end,
    ruleId: match.rule.id,
    evidence: decoded ? `${match.decodedFrom?.join(' → ')}: ${match.snippet}` : match.snippet,
    signals: options.signals,
  };
  if (decoded) finding.decodedFrom = match.decodedFrom;
  return finding;
}
