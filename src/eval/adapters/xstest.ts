import { join } from 'node:path';
import type { DatasetRow, LoadedSet, RowError } from '../dataset-row.js';
import { readTextFile, rowError } from '../read-source.js';
import { parseCsv } from './parse-csv.js';

/**
 * XSTest (`xstest_prompts.csv`: id, prompt, type, label, focus, note). Only `safe` prompts are kept, as
 * benign: the `unsafe` ones are harmful requests, not prompt injections, so they are neither class here.
 */
export function loadXstest(folder: string): LoadedSet {
  const set = 'xstest';
  const path = join(folder, 'xstest_prompts.csv');
  const records = parseCsv(readTextFile(path));
  const header = records[0] ?? [];
  const promptColumn = header.indexOf('prompt');
  const labelColumn = header.indexOf('label');
  const typeColumn = header.indexOf('type');
  const rows: DatasetRow[] = [];
  const errors: RowError[] = [];
  if (promptColumn < 0 || labelColumn < 0) {
    return {
      name: set,
      rows,
      errors: [rowError({ set, path, line: 1, message: 'header lacks prompt/label columns' })],
    };
  }
  for (let index = 1; index < records.length; index++) {
    const record = records[index]!;
    if (record.length === 1 && record[0] === '') continue;
    const text = record[promptColumn];
    const label = record[labelColumn];
    if (!text || (label !== 'safe' && label !== 'unsafe')) {
      errors.push(
        rowError({ set, path, line: index + 1, message: 'expected a prompt and label safe|unsafe' }),
      );
      continue;
    }
    if (label === 'unsafe') continue;
    const group = typeColumn >= 0 ? record[typeColumn] : undefined;
    rows.push({ set, id: `xstest:${index + 1}`, text, label: 0, ...(group ? { group } : {}) });
  }
  return { name: set, rows, errors };
}
