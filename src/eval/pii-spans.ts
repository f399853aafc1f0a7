import { join } from 'node:path';
import type { Finding } from '../spec/finding.js';
import type { RowError } from './dataset-row.js';
import { readJsonFile, rowError } from './read-source.js';

/** Dataset entity labels mapped to the Aegis PII types they correspond to; other labels are not scored. */
export const PII_LABEL_MAP: Readonly<Record<string, string>> = {
  PERSON: 'PERSON',
  EMAIL: 'EMAIL_ADDRESS',
  SSN: 'US_SSN',
  PHONE: 'PHONE_NUMBER',
  IBAN: 'IBAN_CODE',
  CREDIT_CARD: 'CREDIT_CARD',
  PASSPORT: 'US_PASSPORT',
  PASSPORT_NUM: 'US_PASSPORT',
  DRIVER_LICENSE: 'US_DRIVER_LICENSE',
  DRIVERS_LICENSE: 'US_DRIVER_LICENSE',
  DRIVER_LICENSE_NUM: 'US_DRIVER_LICENSE',
  AADHAR: 'IN_AADHAAR',
};

/** A gold entity span. */
export interface GoldSpan {
  type: string;
  start: number;
  end: number;
}

/** One sentence with gold spans (only mapped labels) and the count of unmapped ones. */
export interface PiiSample {
  text: string;
  gold: GoldSpan[];
  unmapped: number;
}

/** Reads `pii_syn_nano_en.json` (`{text, NER: [{entity, label}]}`); entity offsets are found by search. */
export function loadPiiSamples(folder: string): {
  samples: PiiSample[];
  errors: RowError[];
  unmappedLabels: Record<string, number>;
} {
  const path = join(folder, 'pii_syn_nano_en.json');
  const value = readJsonFile(path);
  const samples: PiiSample[] = [];
  const errors: RowError[] = [];
  const unmappedLabels: Record<string, number> = {};
  if (!Array.isArray(value))
    return {
      samples,
      errors: [rowError({ set: 'pii', path, message: 'expected an array' })],
      unmappedLabels,
    };
  value.forEach((record: unknown, index) => {
    const row = record as { text?: unknown; NER?: unknown } | null;
    if (!row || typeof row.text !== 'string' || !Array.isArray(row.NER)) {
      errors.push(rowError({ set: 'pii', path, line: index, message: 'expected {text, NER: []}' }));
      return;
    }
    const text = row.text;
    const gold: GoldSpan[] = [];
    let unmapped = 0;
    for (const entity of row.NER as { entity?: unknown; label?: unknown }[]) {
      if (typeof entity?.entity !== 'string' || typeof entity.label !== 'string') continue;
      const type = PII_LABEL_MAP[entity.label];
      if (!type) {
        unmapped++;
        unmappedLabels[entity.label] = (unmappedLabels[entity.label] ?? 0) + 1;
        continue;
      }
      const start = text.indexOf(entity.entity);
      if (start < 0) {
        errors.push(
          rowError({
            set: 'pii',
            path,
            line: index,
            message: `entity of type ${entity.label} not found in text`,
          }),
        );
        continue;
      }
      gold.push({ type, start, end: start + entity.entity.length });
    }
    samples.push({ text, gold, unmapped });
  });
  return { samples, errors, unmappedLabels };
}

/** Precision and recall of one entity type by span overlap. */
export interface SpanMetrics {
  type: string;
  gold: number;
  predicted: number;
  truePositives: number;
  precision?: number;
  recall?: number;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/**
 * Runs a PII detector over the samples and matches spans per type: a gold span is found when a finding of
 * the same type overlaps it; a finding is correct when it overlaps a gold span of its type. Only types that
 * the dataset labels are scored.
 */
export function scorePiiSpans(options: {
  samples: readonly PiiSample[];
  /** The findings for one text (e.g. from `guard.check(text, { detectors: ['pii'] })`). */
  findings: (text: string) => readonly Finding[];
}): SpanMetrics[] {
  const types = new Set(Object.values(PII_LABEL_MAP));
  const counts = new Map<string, { gold: number; predicted: number; found: number; correct: number }>();
  const entry = (type: string) => {
    const existing = counts.get(type) ?? { gold: 0, predicted: 0, found: 0, correct: 0 };
    counts.set(type, existing);
    return existing;
  };
  for (const sample of options.samples) {
    const findings = options.findings(sample.text).filter((finding) => types.has(finding.type));
    for (const gold of sample.gold) {
      const counter = entry(gold.type);
      counter.gold++;
      if (findings.some((finding) => finding.type === gold.type && overlaps(finding, gold))) counter.found++;
    }
    for (const finding of findings) {
      const counter = entry(finding.type);
      counter.predicted++;
      if (sample.gold.some((gold) => gold.type === finding.type && overlaps(finding, gold)))
        counter.correct++;
    }
  }
  return [...counts]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([type, counter]) => ({
      type,
      gold: counter.gold,
      predicted: counter.predicted,
      truePositives: counter.found,
      ...(counter.predicted > 0 ? { precision: counter.correct / counter.predicted } : {}),
      ...(counter.gold > 0 ? { recall: counter.found / counter.gold } : {}),
    }));
}
