import { describe, expect, it } from 'vitest';
import { searchOperatingPoint, thresholdAtFpr } from './fit-calibration.js';

describe('searchOperatingPoint', () => {
  // Two attack sources and two benign groups; the model separates them except one hard benign row.
  const rows = [
    ...Array.from({ length: 20 }, (_, index) => ({
      scores: { rules: index < 10 ? 0.7 : 0, model: 0.8 },
      label: 1 as const,
      weight: 1,
      source: 'attacks-a',
    })),
    ...Array.from({ length: 10 }, () => ({
      scores: { rules: 0.7, model: 0.2 },
      label: 1 as const,
      weight: 1,
      source: 'attacks-b',
    })),
    ...Array.from({ length: 100 }, (_, index) => ({
      scores: { rules: 0, model: index === 0 ? 0.9 : 0.1 },
      label: 0 as const,
      weight: 1,
      source: 'benign-real',
      group: 'real',
    })),
  ];

  it('maximises source-averaged balanced accuracy under the pass constraint', () => {
    const point = searchOperatingPoint({ rows, minPass: { real: 0.99 }, ruleWeights: [1, 2] });
    expect(point).toBeDefined();
    expect(point!.groupPass.real).toBeGreaterThanOrEqual(0.99);
    // Every attack is caught: medium rule hits are not vetoed by a weak model score.
    expect(point!.macroRecall).toBe(1);
  });

  it('returns undefined when no calibration meets the constraint', () => {
    const impossible = rows.map((row) =>
      row.label === 0 ? { ...row, scores: { rules: 0.99999, model: 0.99999 } } : row,
    );
    expect(searchOperatingPoint({ rows: impossible, minPass: { real: 0.99 } })).toBeUndefined();
  });

  it('with the no-veto constraint a weak rule hit cannot cancel a confident model', () => {
    const point = searchOperatingPoint({
      rows,
      minPass: { real: 0.99 },
      ruleWeights: [1, 10],
      noVeto: { ruleScore: 0.1, modelScore: 0.95 },
    });
    const { bias, weights } = point!;
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(bias + weights.rules! * logit(0.1) + weights.model! * logit(0.95)).toBeGreaterThanOrEqual(0);
  });

  it('a model floor makes low model scores abstain', () => {
    const point = searchOperatingPoint({ rows, minPass: { real: 0.99 }, modelFloor: 0.5 });
    expect(point!.macroRecall).toBe(1);
  });
});

describe('thresholdAtFpr', () => {
  it('keeps the false-positive rate within the budget', () => {
    const benign = Array.from({ length: 100 }, (_, index) => index / 100);
    const threshold = thresholdAtFpr(benign, 0.05);
    expect(benign.filter((score) => score >= threshold).length).toBeLessThanOrEqual(5);
  });
});
