import { describe, expect, it } from 'vitest';
import { computeMetrics, recallAtFpr, rocAuc } from './metrics.js';

describe('metrics', () => {
  const rows = [
    { label: 1 as const, score: 0.9, flagged: true },
    { label: 1 as const, score: 0.8, flagged: true },
    { label: 1 as const, score: 0.3, flagged: false },
    { label: 0 as const, score: 0.7, flagged: true },
    { label: 0 as const, score: 0.2, flagged: false },
    { label: 0 as const, score: 0.1, flagged: false },
    { label: 0 as const, score: 0.05, flagged: false },
  ];

  it('computes confusion-based rates', () => {
    const metrics = computeMetrics(rows);
    expect(metrics).toMatchObject({
      truePositives: 2,
      falseNegatives: 1,
      falsePositives: 1,
      trueNegatives: 3,
    });
    expect(metrics.recall).toBeCloseTo(2 / 3);
    expect(metrics.passRate).toBeCloseTo(3 / 4);
    expect(metrics.precision).toBeCloseTo(2 / 3);
    expect(metrics.f1).toBeCloseTo(2 / 3);
    expect(metrics.balancedAccuracy).toBeCloseTo((2 / 3 + 3 / 4) / 2);
  });

  it('computes ROC-AUC with ties counted half', () => {
    // 12 positive-negative pairs; 0.3 beats 3 negatives, 0.8 and 0.9 beat all 4: (4 + 4 + 3) / 12.
    expect(rocAuc(rows)).toBeCloseTo(11 / 12);
    expect(
      rocAuc([
        { label: 1, score: 0.5, flagged: false },
        { label: 0, score: 0.5, flagged: false },
      ]),
    ).toBe(0.5);
  });

  it('computes recall at a false-positive budget', () => {
    expect(recallAtFpr(rows, 0)).toBeCloseTo(2 / 3);
    expect(recallAtFpr(rows, 0.25)).toBe(1);
  });

  it('leaves undefined what a one-class set cannot define', () => {
    const benignOnly = computeMetrics([{ label: 0, score: 0.1, flagged: false }]);
    expect(benignOnly.passRate).toBe(1);
    expect(benignOnly.recall).toBeUndefined();
    expect(benignOnly.rocAuc).toBeUndefined();
  });
});
