import type { ScanReport } from '../types.js';

/** The report as JSON: `{"files":[{"path","format","verdict","findings":[…]}],"summary":{…}}`. */
export function renderJson(report: ScanReport): string {
  const files = report.files.map((file) => ({
    path: file.path,
    format: file.format,
    verdict: file.verdict,
    size: file.size,
    ...(file.error === undefined ? {} : { error: file.error }),
    findings: file.findings.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      location: finding.location,
      references: finding.references,
    })),
  }));
  return `${JSON.stringify({ files, summary: report.summary }, null, 2)}\n`;
}
