import { join } from 'node:path';
import { parse } from 'yaml';
import type { DatasetRow, LoadedSet, RowError } from '../dataset-row.js';
import { readTextFile, rowError } from '../read-source.js';

/**
 * Lakera PINT-format YAML (`example-dataset.yaml`): a list of `{text, category, label: bool}` rows
 * (label true = injection). The same reader works for the full PINT dataset file a user holds.
 */
export function loadPintYaml(options: { path: string; set: string }): LoadedSet {
  const { path, set } = options;
  const rows: DatasetRow[] = [];
  const errors: RowError[] = [];
  let value: unknown;
  try {
    value = parse(readTextFile(path), { maxAliasCount: 100 });
  } catch (error) {
    return { name: set, rows, errors: [rowError({ set, path, message: `invalid YAML: ${String(error)}` })] };
  }
  if (!Array.isArray(value)) {
    return { name: set, rows, errors: [rowError({ set, path, message: 'expected a YAML list of rows' })] };
  }
  value.forEach((record: unknown, index) => {
    const row = record as { text?: unknown; label?: unknown; category?: unknown; language?: unknown } | null;
    if (!row || typeof row.text !== 'string' || typeof row.label !== 'boolean') {
      errors.push(rowError({ set, path, line: index, message: 'expected {text: string, label: boolean}' }));
      return;
    }
    rows.push({
      set,
      id: `${set}:${index}`,
      text: row.text,
      label: row.label ? 1 : 0,
      ...(typeof row.category === 'string' ? { group: row.category } : {}),
      ...(typeof row.language === 'string' ? { language: row.language } : {}),
    });
  });
  return { name: set, rows, errors };
}

/** The PINT example file shipped with the benchmark repository. */
export function loadPintExample(folder: string): LoadedSet {
  return loadPintYaml({ path: join(folder, 'example-dataset.yaml'), set: 'pint-example' });
}
