import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { DATASET_CATALOG } from './dataset-catalog.js';
import type { DatasetRow, LoadedSet, RowError } from './dataset-row.js';
import { dedupeRows } from './dedupe-rows.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import { computeMetrics, type DetectionMetrics, type ScoredRow } from './metrics.js';

/** A back-end failure on one row, as the guard recorded it. */
export interface BackendFailure {
  detector: string;
  code: string;
  message: string;
}

/** The score of one row: 0..1, whether the configuration would flag it, and a back-end failure if any. */
export interface RowScore {
  score: number;
  flagged: boolean;
  failure?: BackendFailure;
}

/** Scores one row: a score 0..1 and whether the configuration would flag it. */
export interface EvalScorer {
  readonly name: string;
  /** Ids of the asynchronous back-ends (ONNX classifier, LLM judge) the configuration runs, if any. */
  readonly backends?: readonly string[];
  /** Synchronous, except for configurations with back-ends (`runEvaluationAsync` only). */
  score(row: DatasetRow): RowScore | Promise<RowScore>;
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
  /**
   * Configurations with back-ends only: rows on which a back-end failed (counted as the guard decided
   * them, flagged when failing closed) and the first failure.
   */
  backendFailures?: { rows: number; first?: BackendFailure };
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

interface PreparedSet {
  set: LoadedSet;
  rows: DatasetRow[];
  dropped: number;
}

/** Checks the names and deduplicates the sets (a text seen in an earlier set is measured once). */
function prepareSets(sets: readonly LoadedSet[], scorers: readonly EvalScorer[]): PreparedSet[] {
  // Results are keyed by set and scorer name: a repeated name would overwrite the first one's metrics.
  rejectRepeatedNames('set', sets);
  rejectRepeatedNames('configuration', scorers);
  const seen = new Map<string, 0 | 1>();
  return sets.map((set) => {
    const deduped = dedupeRows(set.rows, seen);
    return { set, rows: deduped.rows, dropped: deduped.duplicates + deduped.conflicts };
  });
}

/** Per-set, pooled and per-language metrics of one scorer, from its row scores (parallel to the rows). */
function summarize(
  scorer: EvalScorer,
  prepared: readonly PreparedSet[],
  scores: readonly (readonly RowScore[])[],
): ScorerResult {
  const perSet: Record<string, DetectionMetrics> = {};
  const pooled: ScoredRow[] = [];
  const all: ScoredRow[] = [];
  const byLanguage = new Map<string, ScoredRow[]>();
  let failures = 0;
  let first: BackendFailure | undefined;
  prepared.forEach(({ set, rows }, setIndex) => {
    const scored: ScoredRow[] = [];
    rows.forEach((row, rowIndex) => {
      const { score, flagged, failure } = scores[setIndex]![rowIndex]!;
      const entry = { label: row.label, score, flagged };
      scored.push(entry);
      if (failure !== undefined) {
        failures++;
        first ??= failure;
      }
      if (row.language) {
        const list = byLanguage.get(row.language) ?? [];
        list.push(entry);
        byLanguage.set(row.language, list);
      }
    });
    perSet[set.name] = computeMetrics(scored);
    all.push(...scored);
    if (useOf(set.name).pooled) pooled.push(...scored);
  });
  return {
    perSet,
    ...(pooled.length > 0 ? { pooledEvalOnly: computeMetrics(pooled) } : {}),
    pooledAll: computeMetrics(all),
    byLanguage: Object.fromEntries(
      [...byLanguage].sort().map(([language, rows]) => [language, computeMetrics(rows)]),
    ),
    ...(scorer.backends === undefined
      ? {}
      : { backendFailures: { rows: failures, ...(first ? { first } : {}) } }),
  };
}

function buildReport(
  sets: readonly LoadedSet[],
  scorers: readonly EvalScorer[],
  prepared: readonly PreparedSet[],
  results: Record<string, ScorerResult>,
): EvaluationReport {
  const rowErrors = sets.flatMap((set) => set.errors);
  return {
    version: 1,
    scorers: scorers.map((scorer) => scorer.name),
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

function syncScore(scorer: EvalScorer, row: DatasetRow): RowScore {
  const result = scorer.score(row);
  if (result instanceof Promise) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `configuration "${scorer.name}" runs asynchronous back-ends: use runEvaluationAsync`,
    );
  }
  return result;
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
  const prepared = prepareSets(options.sets, options.scorers);
  const total = prepared.reduce((sum, entry) => sum + entry.rows.length, 0) * options.scorers.length;
  let done = 0;
  const results: Record<string, ScorerResult> = {};
  for (const scorer of options.scorers) {
    const scores = prepared.map(({ rows }) =>
      rows.map((row) => {
        const score = syncScore(scorer, row);
        done++;
        if (done % 200 === 0) options.onProgress?.(done, total);
        return score;
      }),
    );
    results[scorer.name] = summarize(scorer, prepared, scores);
  }
  options.onProgress?.(total, total);
  return buildReport(options.sets, options.scorers, prepared, results);
}

/** A back-end that failed on every one of this many first rows is down: the run stops instead of waiting. */
export const BACKEND_DOWN_ROWS = 10;

/**
 * `runEvaluation` for configurations with asynchronous back-ends (ONNX classifier, LLM judge): their rows
 * are scored `concurrency` at a time (others as before, one by one) and `onProgress` is called after every
 * row. The report is the same, with `backendFailures` for those configurations. When a back-end fails on
 * each of its first `BACKEND_DOWN_ROWS` rows, the run stops with `AEGIS_BACKEND_FAILED`.
 */
export async function runEvaluationAsync(options: {
  sets: readonly LoadedSet[];
  scorers: readonly EvalScorer[];
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<EvaluationReport> {
  const prepared = prepareSets(options.sets, options.scorers);
  const total = prepared.reduce((sum, entry) => sum + entry.rows.length, 0) * options.scorers.length;
  let done = 0;
  const results: Record<string, ScorerResult> = {};
  for (const scorer of options.scorers) {
    const scores: RowScore[][] = [];
    let completed = 0;
    let failed = 0;
    for (const { rows } of prepared) {
      scores.push(
        await mapWithConcurrency({
          items: rows,
          concurrency: scorer.backends === undefined ? 1 : options.concurrency,
          map: async (row) => {
            const score = scorer.backends === undefined ? syncScore(scorer, row) : await scorer.score(row);
            completed++;
            if (score.failure !== undefined) failed++;
            if (failed === completed && completed === BACKEND_DOWN_ROWS) {
              const { detector, code, message } = score.failure!;
              throw new AegisError(
                ERROR_CODES.BACKEND_FAILED,
                `configuration "${scorer.name}": back-end ${detector} failed on each of the first ${BACKEND_DOWN_ROWS} rows, last: ${message} [${code}]`,
                { details: { configuration: scorer.name, detector, code } },
              );
            }
            done++;
            options.onProgress?.(done, total);
            return score;
          },
        }),
      );
    }
    results[scorer.name] = summarize(scorer, prepared, scores);
  }
  options.onProgress?.(total, total);
  return buildReport(options.sets, options.scorers, prepared, results);
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
