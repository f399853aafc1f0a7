import type { Finding } from '../../spec/finding.js';
import type { Verdict } from '../../spec/verdict.js';

function evidenceOf(finding: Finding): string {
  // Detectors mask sensitive evidence; when they give none, show only the length.
  return finding.evidence ?? `…[${finding.end - finding.start}]`;
}

/** A readable multi-line report of one verdict. */
export function formatReport(verdict: Verdict): string {
  const lines: string[] = [`action: ${verdict.action}`, `injection score: ${verdict.score.toFixed(2)}`];
  if (verdict.reasons.length > 0) {
    lines.push('reasons:');
    for (const reason of verdict.reasons) lines.push(`  - ${reason}`);
  }
  if (verdict.findings.length === 0) lines.push('findings: none');
  else {
    lines.push(`findings (${verdict.findings.length}):`);
    // In reading order, whatever order the detectors ran in.
    const ordered = [...verdict.findings].sort(
      (left, right) => left.start - right.start || left.end - right.end,
    );
    ordered.forEach((finding, index) => {
      lines.push(
        `  ${index + 1}. ${finding.family}/${finding.type}  severity ${finding.severity}  score ${finding.score.toFixed(2)}  span ${finding.start}-${finding.end}  evidence ${JSON.stringify(evidenceOf(finding))}  (${finding.ruleId})`,
      );
    });
  }
  if (verdict.errors && verdict.errors.length > 0) {
    lines.push('detector errors:');
    for (const error of verdict.errors) lines.push(`  - ${error.detector}: ${error.message} [${error.code}]`);
  }
  if (verdict.redactedText !== undefined) lines.push('redacted text:', verdict.redactedText);
  return `${lines.join('\n')}\n`;
}

/** One short line per input for `--input … --format text`. */
export function formatSummaryLine(id: unknown, verdict: Verdict): string {
  const types = [...new Set(verdict.findings.map((finding) => `${finding.family}/${finding.type}`))].join(
    ',',
  );
  return `${String(id)}\t${verdict.action}\t${verdict.score.toFixed(2)}\t${types || '-'}\n`;
}
