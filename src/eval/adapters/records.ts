import type { DatasetRow, LoadedSet } from '../dataset-row.js';
import { type JsonLine, lineError, readJsonFile, rowError } from '../read-source.js';

/** How to turn one record into a row: return the text (and label), or a reason it is invalid. */
export type RecordMapper = (
  record: unknown,
) => { text: string; label: 0 | 1; group?: string; language?: string } | { skip: true } | { error: string };

/** Maps JSON-array elements (index = element number) or JSONL lines into rows with per-row errors. */
export function mapRecords(options: {
  set: string;
  path: string;
  idPrefix: string;
  records: readonly JsonLine[];
  map: RecordMapper;
}): LoadedSet {
  const rows: DatasetRow[] = [];
  const errors: LoadedSet['errors'] = [];
  for (const entry of options.records) {
    if ('error' in entry) {
      errors.push(lineError({ set: options.set, path: options.path, entry }));
      continue;
    }
    const mapped = options.map(entry.value);
    if ('skip' in mapped) continue;
    if ('error' in mapped) {
      errors.push(
        rowError({ set: options.set, path: options.path, line: entry.line, message: mapped.error }),
      );
      continue;
    }
    rows.push({ set: options.set, id: `${options.idPrefix}:${entry.line}`, ...mapped });
  }
  return { name: options.set, rows, errors };
}

/** Reads a JSON file holding an array; elements become records numbered by index. */
export function readJsonArray(path: string, set: string): JsonLine[] | LoadedSet {
  const value = readJsonFile(path);
  if (!Array.isArray(value)) {
    return {
      name: set,
      rows: [],
      errors: [rowError({ set, path, message: 'expected a JSON array at the top level' })],
    };
  }
  return value.map((element, index) => ({ line: index, value: element }));
}

/** Concatenates loaded parts of one set. */
export function mergeSets(name: string, parts: readonly LoadedSet[]): LoadedSet {
  return {
    name,
    rows: parts.flatMap((part) => part.rows),
    errors: parts.flatMap((part) => part.errors),
  };
}
