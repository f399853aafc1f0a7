import { collectFeatures, type FeatureSpec } from './hashed-features.js';
import { windowStarts } from './linear-model.js';
import type { TrainingExample } from './train-logistic.js';

/** A labelled training text and the source it came from (a dataset or a synthetic generator). */
export interface LabelledText {
  text: string;
  label: 0 | 1;
  source: string;
  /** Who wrote the text when it is not a user prompt (documents are judged for indirect injection). */
  role?: 'user' | 'document';
}

/** Most windows taken from one benign text (attacks use their first and last window). */
const MAX_WINDOWS_PER_TEXT = 6;

/**
 * Cuts a text into the windows the model scores at inference. Benign texts contribute every window
 * (each must stay low, since inference takes the maximum); attack texts contribute their first and last
 * window, where instructions sit.
 */
export function trainingWindows(text: string, label: 0 | 1, windowChars: number): string[] {
  const starts = windowStarts(text.length, windowChars);
  const chosen =
    label === 1
      ? [...new Set([starts[0]!, starts[starts.length - 1]!])]
      : starts.length <= MAX_WINDOWS_PER_TEXT
        ? starts
        : starts.filter((_, index) => index % Math.ceil(starts.length / MAX_WINDOWS_PER_TEXT) === 0);
  return chosen.map((start) => text.slice(start, start + windowChars));
}

/**
 * Sample weights: each class sums to the same total, and inside a class each source weighs in
 * proportion to the square root of its size, so one large source does not drown the others.
 */
export function sampleWeights(rows: readonly LabelledText[]): number[] {
  const sizes = new Map<string, number>();
  for (const row of rows)
    sizes.set(`${row.label}:${row.source}`, (sizes.get(`${row.label}:${row.source}`) ?? 0) + 1);
  const raw = rows.map((row) => 1 / Math.sqrt(sizes.get(`${row.label}:${row.source}`)!));
  const classTotals = [0, 0];
  rows.forEach((row, index) => {
    classTotals[row.label]! += raw[index]!;
  });
  const perClass = rows.length / 2;
  return rows.map((row, index) => (raw[index]! * perClass) / (classTotals[row.label] || 1));
}

/** Featurizes rows into training examples (one per window, the row's weight split over its windows). */
export function prepareExamples(options: {
  rows: readonly LabelledText[];
  weights: readonly number[];
  spec: FeatureSpec;
  windowChars: number;
}): TrainingExample[] {
  const examples: TrainingExample[] = [];
  options.rows.forEach((row, index) => {
    const windows = trainingWindows(row.text, row.label, options.windowChars);
    for (const window of windows) {
      examples.push({
        vector: collectFeatures(window, options.spec),
        label: row.label,
        weight: options.weights[index]! / windows.length,
      });
    }
  });
  return examples;
}
