import { describe, expect, it } from 'vitest';
import { combineSignals, DEFAULT_CALIBRATION } from './combine-signals.js';

describe('combineSignals', () => {
  it('passes the rule score through unchanged with the default calibration', () => {
    for (const score of [0.05, 0.3, 0.5, 0.93]) {
      expect(combineSignals([{ name: 'rules', score }]).score).toBeCloseTo(score, 10);
    }
  });

  it('lets a signal that scores 0 abstain', () => {
    const combined = combineSignals([
      { name: 'rules', score: 0 },
      { name: 'model', score: 0.8 },
    ]);
    expect(combined.score).toBeCloseTo(0.8, 10);
    expect(combined.contributors).toEqual(['model']);
  });

  it('returns 0 and no contributors when nothing has evidence', () => {
    expect(combineSignals([{ name: 'rules', score: 0 }])).toEqual({ score: 0, contributors: [] });
    expect(combineSignals([])).toEqual({ score: 0, contributors: [] });
  });

  it('adds log-odds of agreeing signals and lets disagreement pull the score down', () => {
    const agree = combineSignals([
      { name: 'rules', score: 0.9 },
      { name: 'model', score: 0.9 },
    ]);
    expect(agree.score).toBeCloseTo(0.81 / (0.81 + 0.01), 6);
    const disagree = combineSignals([
      { name: 'rules', score: 0.9 },
      { name: 'model', score: 0.1 },
    ]);
    expect(disagree.score).toBeCloseTo(0.5, 6);
  });

  it('applies bias and per-signal weights from the calibration', () => {
    const calibration = { ...DEFAULT_CALIBRATION, bias: -1, weights: { rules: 2, model: 0 } };
    const combined = combineSignals(
      [
        { name: 'rules', score: 0.5 },
        { name: 'model', score: 0.99 },
      ],
      calibration,
    );
    expect(combined.score).toBeCloseTo(1 / (1 + Math.E), 6);
    expect(combined.contributors).toEqual(['rules']);
  });

  it('clamps certain scores instead of returning infinities', () => {
    const combined = combineSignals([{ name: 'rules', score: 1 }]);
    expect(combined.score).toBeLessThan(1);
    expect(combined.score).toBeGreaterThan(0.999);
    expect(combineSignals([{ name: 'model', score: Number.NaN }]).score).toBe(0);
  });
});
