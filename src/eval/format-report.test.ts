import { describe, expect, it } from 'vitest';
import { formatReportTable } from './format-report.js';
import { runEvaluation } from './run-evaluation.js';

describe('formatReportTable', () => {
  const rows = Array.from({ length: 3 }, (_, index) => ({
    set: 'mine',
    id: String(index),
    text: `text ${index}`,
    label: (index % 2) as 0 | 1,
  }));
  const errors = Array.from({ length: 12 }, (_, index) => ({
    set: 'mine',
    file: 'mine.jsonl',
    line: index + 10,
    code: 'AEGIS_INPUT_LINE_INVALID',
    message: 'bad line',
  }));
  const report = runEvaluation({
    sets: [{ name: 'mine', rows, errors }],
    scorers: [{ name: 'half', score: (row) => ({ score: row.label, flagged: row.label === 1 }) }],
  });
  const text = formatReportTable(report);

  it('says that user files are part of the first pooled table', () => {
    expect(text).toContain('Pooled over eval-only sets and your own files');
    expect(text).not.toMatch(/Pooled over eval-only sets:/);
  });

  it('says how many row errors it does not show', () => {
    expect(text).toContain('Row errors (12):');
    expect(text).toContain('mine mine.jsonl:19: bad line');
    expect(text).not.toContain('mine.jsonl:20:');
    expect(text).toContain('… and 2 more (--format json lists the first 12)');
  });
});
