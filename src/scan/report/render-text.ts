import type { ScanReport } from '../types.js';

/** Options of `renderText`. */
export interface RenderTextOptions {
  /** Also list clean files (default: only files with findings or errors). */
  showClean?: boolean;
}

/** A human-readable report: one block per file with findings, then a summary line. */
export function renderText(report: ScanReport, options: RenderTextOptions = {}): string {
  const lines: string[] = [];
  for (const file of report.files) {
    const visibleFindings = file.findings.filter((finding) => finding.severity !== 'info');
    if (file.verdict === 'clean' && !options.showClean) continue;
    lines.push(`${file.verdict.toUpperCase()}  ${file.path}  (${file.format})`);
    if (file.error !== undefined) lines.push(`  error: ${file.error}`);
    for (const finding of visibleFindings) {
      const references = finding.references.length > 0 ? `  [${finding.references.join(', ')}]` : '';
      lines.push(`  ${finding.severity.padEnd(8)} ${finding.rule}: ${finding.message}`);
      lines.push(`           at ${finding.location}${references}`);
    }
  }
  const { summary } = report;
  lines.push(
    `${summary.files} file(s): ${summary.clean} clean, ${summary.suspicious} suspicious, ${summary.malicious} malicious, ${summary.error} error(s) in ${summary.durationMs} ms`,
  );
  return `${lines.join('\n')}\n`;
}
