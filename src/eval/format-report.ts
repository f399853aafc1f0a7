import type { DetectionMetrics } from './metrics.js';
import type { EvaluationReport } from './run-evaluation.js';

/** Formats a rate as a percentage with one decimal, or an em dash when undefined. */
export function percent(value: number | undefined): string {
  return value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

function fixed(value: number | undefined): string {
  return value === undefined ? '—' : value.toFixed(4);
}

/** The rate that matters for a set: detection on attack rows, pass rate on benign rows (both if mixed). */
export function setRate(metrics: DetectionMetrics | undefined): string {
  if (!metrics) return '—';
  const parts: string[] = [];
  if (metrics.attacks > 0) parts.push(`det ${percent(metrics.recall)}`);
  if (metrics.benign > 0) parts.push(`pass ${percent(metrics.passRate)}`);
  return parts.join(' / ');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Pooled metric lines for one scorer. */
export function pooledRow(name: string, metrics: DetectionMetrics | undefined): string[] {
  return [
    name,
    percent(metrics?.recall),
    percent(metrics?.passRate),
    percent(metrics?.precision),
    fixed(metrics?.f1),
    percent(metrics?.balancedAccuracy),
    fixed(metrics?.rocAuc),
    percent(metrics?.recallAt1PctFpr),
    percent(metrics?.recallAt01PctFpr),
  ];
}

/** Renders an evaluation report as plain-text tables. */
export function formatReportTable(report: EvaluationReport): string {
  const setRows: string[][] = [['set', 'use', 'rows', 'attacks', 'benign', ...report.scorers]];
  for (const set of report.sets) {
    setRows.push([
      set.name,
      set.use + (set.use === 'eval-only' && !set.pooled ? ' (not pooled)' : ''),
      String(set.rows),
      String(set.attacks),
      String(set.benign),
      ...report.scorers.map((scorer) => setRate(report.results[scorer]?.perSet[set.name])),
    ]);
  }
  const header = ['', 'recall', 'pass', 'precision', 'F1', 'bal. acc.', 'ROC-AUC', 'R@1%FPR', 'R@0.1%FPR'];
  const pooledEval = [
    header,
    ...report.scorers.map((scorer) => pooledRow(scorer, report.results[scorer]?.pooledEvalOnly)),
  ];
  const pooledAll = [
    header,
    ...report.scorers.map((scorer) => pooledRow(scorer, report.results[scorer]?.pooledAll)),
  ];
  const sections = [
    table(setRows),
    `\nPooled over eval-only sets and your own files (sets marked "not pooled" left out):\n${table(pooledEval)}`,
    `\nPooled over all evaluated rows:\n${table(pooledAll)}`,
  ];
  const languages = new Set(
    report.scorers.flatMap((scorer) => Object.keys(report.results[scorer]?.byLanguage ?? {})),
  );
  if (languages.size > 0) {
    const languageRows = [['language', ...report.scorers]];
    for (const language of [...languages].sort()) {
      languageRows.push([
        language,
        ...report.scorers.map((scorer) => setRate(report.results[scorer]?.byLanguage[language])),
      ]);
    }
    sections.push(`\nBy language:\n${table(languageRows)}`);
  }
  const failing = report.scorers.filter((scorer) => (report.results[scorer]?.backendFailures?.rows ?? 0) > 0);
  if (failing.length > 0) {
    const lines = failing.map((scorer) => {
      const failures = report.results[scorer]!.backendFailures!;
      return `  ${scorer}: ${failures.rows} rows, first: ${failures.first?.message ?? '—'} [${failures.first?.code ?? '—'}]`;
    });
    sections.push(`\nBack-end failures (rows counted as the guard decided them):\n${lines.join('\n')}`);
  }
  if (report.rowErrorCount > 0) {
    const shown = report.rowErrors
      .slice(0, 10)
      .map(
        (error) =>
          `  ${error.set} ${error.file}${error.line === undefined ? '' : `:${error.line}`}: ${error.message}`,
      );
    const more = report.rowErrorCount - shown.length;
    if (more > 0)
      shown.push(`  … and ${more} more (--format json lists the first ${report.rowErrors.length})`);
    sections.push(`\nRow errors (${report.rowErrorCount}):\n${shown.join('\n')}`);
  }
  return `${sections.join('\n')}\n`;
}
