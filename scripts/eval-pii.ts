/**
 * Precision and recall of the `pii` detector on `pii/nannigalaxy-synth` (eval-only data: measure, never
 * tune on it). Usage: `tsx scripts/eval-pii.ts [DATA_DIR]` (default `../shared/data`). Prints one JSON
 * object per entity type and one summary line, each with the commit measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPiiDetector } from '../src/detect/pii.js';
import { PII_LABEL_MAP } from '../src/eval/pii-spans.js';
import { AegisError, ERROR_CODES } from '../src/spec/errors.js';
import { identityText } from '../src/spec/text.js';

/** Dataset labels mapped to the detector's types (shared with `aegis eval`). */
const LABEL_TO_TYPE = PII_LABEL_MAP;

interface Row {
  text: string;
  NER: { entity: string; label: string }[];
}

interface Counts {
  gold: number;
  predicted: number;
  truePositiveLenient: number;
  truePositiveExact: number;
}

/** Per-type counts: a prediction is a lenient hit when it overlaps a gold span of its type, exact when equal. */
export function evaluatePii(rows: readonly Row[]): Map<string, Counts> {
  const detector = createPiiDetector();
  const counts = new Map<string, Counts>();
  const get = (type: string): Counts => {
    let entry = counts.get(type);
    if (!entry) {
      entry = { gold: 0, predicted: 0, truePositiveLenient: 0, truePositiveExact: 0 };
      counts.set(type, entry);
    }
    return entry;
  };
  for (const row of rows) {
    const gold: { type: string; start: number; end: number; used: boolean }[] = [];
    for (const entity of row.NER) {
      const type = LABEL_TO_TYPE[entity.label];
      if (type === undefined) continue;
      const start = row.text.indexOf(entity.entity);
      if (start < 0) continue;
      gold.push({ type, start, end: start + entity.entity.length, used: false });
      get(type).gold += 1;
    }
    for (const finding of detector.detect(row.text, { role: 'user', normalized: identityText(row.text) })) {
      const entry = get(finding.type);
      entry.predicted += 1;
      const hit = gold.find(
        (span) =>
          !span.used && span.type === finding.type && finding.start < span.end && span.start < finding.end,
      );
      if (!hit) continue;
      hit.used = true;
      entry.truePositiveLenient += 1;
      if (hit.start === finding.start && hit.end === finding.end) entry.truePositiveExact += 1;
    }
  }
  return counts;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 1000;

function main(): void {
  const dataDir = process.argv[2] ?? '../shared/data';
  const file = join(dataDir, 'pii', 'nannigalaxy-synth', 'pii_syn_nano_en.json');
  if (!existsSync(file)) {
    throw new AegisError(
      ERROR_CODES.DATASET_MISSING,
      `missing ${file}: download the nannigalaxy PII synth set there`,
    );
  }
  const all = JSON.parse(readFileSync(file, 'utf8')) as Row[];
  const seen = new Set<string>();
  const rows = all.filter((row) => !seen.has(row.text) && seen.add(row.text));
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const counts = evaluatePii(rows);
  const total: Counts = { gold: 0, predicted: 0, truePositiveLenient: 0, truePositiveExact: 0 };
  for (const [type, entry] of [...counts].sort()) {
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += entry[key];
    console.log(
      JSON.stringify({
        dataset: 'pii/nannigalaxy-synth',
        commit,
        type,
        ...entry,
        precision: ratio(entry.truePositiveLenient, entry.predicted),
        recall: ratio(entry.truePositiveLenient, entry.gold),
        recallExact: ratio(entry.truePositiveExact, entry.gold),
      }),
    );
  }
  console.log(
    JSON.stringify({
      dataset: 'pii/nannigalaxy-synth',
      commit,
      type: 'ALL_MAPPED',
      rows: rows.length,
      ...total,
      precision: ratio(total.truePositiveLenient, total.predicted),
      recall: ratio(total.truePositiveLenient, total.gold),
      recallExact: ratio(total.truePositiveExact, total.gold),
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
