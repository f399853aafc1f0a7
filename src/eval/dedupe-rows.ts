import { createHash } from 'node:crypto';
import type { DatasetRow } from './dataset-row.js';

/** Text key for duplicate detection: NFKC, lowercased, whitespace runs folded, trimmed. */
export function normalizedTextKey(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(folded).digest('base64url');
}

/** Result of `dedupeRows`. */
export interface DedupeResult {
  rows: DatasetRow[];
  /** Rows dropped because an earlier row had the same normalized text and label. */
  duplicates: number;
  /** Rows dropped because an earlier row had the same normalized text and the other label. */
  conflicts: number;
}

/**
 * Keeps the first row of each normalized text, across all given sets in order, so a prompt repeated in
 * several sets is measured once. Pass `seen` to also drop texts seen elsewhere (e.g. in training data).
 */
export function dedupeRows(rows: readonly DatasetRow[], seen: Map<string, 0 | 1> = new Map()): DedupeResult {
  const kept: DatasetRow[] = [];
  let duplicates = 0;
  let conflicts = 0;
  for (const row of rows) {
    const key = normalizedTextKey(row.text);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (earlier === row.label) duplicates++;
      else conflicts++;
      continue;
    }
    seen.set(key, row.label);
    kept.push(row);
  }
  return { rows: kept, duplicates, conflicts };
}
