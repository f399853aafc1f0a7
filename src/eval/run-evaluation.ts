import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { DATASET_CATALOG } from './dataset-catalog.js';
import type { DatasetRow, LoadedSet, RowError } from './dataset-row.js';
import { dedupeRows } from './dedupe-rows.js';
import { computeMetrics, type DetectionMetrics, type ScoredRow } from './metrics.js';

/** Scores one row: a score 0..1 and whether the configuration would flag it. */
export interface EvalScorer {
  readonly name: string;
  score(row: DatasetRow): { score: number; flagged: boolean };
}

/** Per-set facts independent of the scorer. */
export interface SetSummary {
  name: string;
  use: 'train-ok' | 'eval-only' | 'project' | 'user';
  /** Rows after deduplication. */
  rows: number;
  attacks: number;
  benign: number;
  duplicatesDropped: number;
  rowErrors: number;
  /** Included in the pooled eval-only metrics. */
  pooled: boolean;
}

/** Metrics of one scorer. */
export interface ScorerResult {
  perSet: Record<string, DetectionMetrics>;
  /** Pooled over eval-only sets marked pooled (and user-supplied files), when any were evaluated. */
  pooledEvalOnly?: DetectionMetrics;
  /** Pooled over every evaluated row. */
  pooledAll: DetectionMetrics;
  /** Pooled metrics per language, for rows whose language is known. */
  byLanguage: Record<string, DetectionMetrics>;
}

/** The stable JSON report of `aegis eval` (`version` changes if the shape ever does). */
export interface EvaluationReport {
  version: 1;
  scorers: string[];
  sets: SetSummary[];
  results: Record<string, ScorerResult>;
  /** First row errors (at most 100), with the total in `rowErrorCount`. */
  rowErrors: RowError[];
  rowErrorCount: number;
}

function useOf(name: string): { use: SetSummary['use']; pooled: boolean } {
  const entry = DATASET_CATALOG.find((candidate) => candidate.name === name);
  if (entry) return { use: entry.use, pooled: entry.use === 'eval-only' && entry.pooled };
  if (name === 'trigger-benign') return { use: 'project', pooled: false };
  return { use: 'user', pooled: true };
}

function rejectRepeatedNames(kind: string, items: readonly { name: string }[]): void {
  const names = new Set<string>();
  for (const { name } of items) {
    if (names.has(name)) {
      throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `${kind} "${name}" is given more than once`);
    }
    names.add(name);
  }
}

/**
 * Deduplicates the sets (a text seen in an earlier set is measured once), scores every row with every
 * scorer and computes per-set, pooled and per-language metrics. `onProgress` is called after each row.
 */
export function runEvaluation(options: {
  sets: readonly LoadedSet[];
  scorers: readonly EvalScorer[];
  onProgress?: (done: number, total: number) => void;
}): EvaluationReport {
  // Results are keyed by set and scorer name: a repeated name would overwrite the first one's metrics.
  rejectRepeatedNames('set', options.sets);
  rejectRepeatedNames('configuration', options.scorers);
  const seen = new Map<string, 0 | 1>();
  const prepared = options.sets.map((set) => {
    const deduped = dedupeRows(set.rows, seen);
    return { set, rows: deduped.rows, dropped: deduped.duplicates + deduped.conflicts };
  });
  const total = prepared.reduce((sum, entry) => sum + entry.rows.length, 0) * options.scorers.length;
  let done = 0;
  const results: Record<string, ScorerResult> = {};
  for (const scorer of options.scorers) {
    const perSet: Record<string, DetectionMetrics> = {};
    const pooled: ScoredRow[] = [];
    const all: ScoredRow[] = [];
    const byLanguage = new Map<string, ScoredRow[]>();
    for (const { set, rows } of prepared) {
      const scored: ScoredRow[] = [];
      for (const row of rows) {
        const { score, flagged } = scorer.score(row);
        const entry = { label: row.label, score, flagged };
        scored.push(entry);
        if (row.language) {
          const list = byLanguage.get(row.language) ?? [];
          list.push(entry);
          byLanguage.set(row.language, list);
        }
        done++;
        if (done % 200 === 0) options.onProgress?.(done, total);
      }
      perSet[set.name] = computeMetrics(scored);
      all.push(...scored);
      if (useOf(set.name).pooled) pooled.push(...scored);
    }
    results[scorer.name] = {
      perSet,
      ...(pooled.length > 0 ? { pooledEvalOnly: computeMetrics(pooled) } : {}),
      pooledAll: computeMetrics(all),
      byLanguage: Object.fromEntries(
        [...byLanguage].sort().map(([language, rows]) => [language, computeMetrics(rows)]),
      ),
    };
  }
  options.onProgress?.(total, total);
  const rowErrors = options.sets.flatMap((set) => set.errors);
  return {
    version: 1,
    scorers: options.scorers.map((scorer) => scorer.name),
    sets: prepared.map(({ set, rows, dropped }) => ({
      name: set.name,
      ...useOf(set.name),
      rows: rows.length,
      attacks: rows.filter((row) => row.label === 1).length,
      benign: rows.filter((row) => row.label === 0).length,
      duplicatesDropped: dropped,
      rowErrors: set.errors.length,
    })),
    results,
    rowErrors: rowErrors.slice(0, 100),
    rowErrorCount: rowErrors.length,
  };
}

/** The project's trigger-word benign sentences as a set. */
export function triggerBenignSet(sentences: readonly string[]): LoadedSet {
  return {
    name: 'trigger-benign',
    rows: sentences.map((text, index) => ({
      set: 'trigger-benign',
      id: `trigger-benign:${index}`,
      text,
      label: 0,
    })),
    errors: [],
  };
}
