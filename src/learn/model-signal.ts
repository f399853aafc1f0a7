import type { DetectContext, InjectionSignal } from '../spec/detector.js';
import type { InjectionFinding } from '../spec/finding.js';
import { type LinearModel, sigmoid, type WindowLogit, windowLogits } from './linear-model.js';
import { loadDefaultModel } from './load-model.js';

/** Options of `createModelSignal`. */
export interface ModelSignalOptions {
  /** The model to run; defaults to the shipped `models/injection-v1.bin`. */
  model?: LinearModel;
  /** Probability at or above which the signal also emits an explaining finding (default 0.5). */
  findingThreshold?: number;
  /**
   * Below this probability the signal abstains (reports 0), so weak model evidence never lowers a rule
   * hit in the combined score (default 0: always report).
   */
  abstainBelow?: number;
}

/** Best-scoring window of a text: its probability and span in the scored text. */
export interface WindowScore {
  score: number;
  start: number;
  end: number;
}

/** Scores every window of `text` and returns the best one (score 0 for empty or blank text). */
export function bestWindow(model: LinearModel, text: string): WindowScore {
  if (text.trim().length === 0) return { score: 0, start: 0, end: 0 };
  let best: WindowLogit | undefined;
  for (const window of windowLogits(model, text)) if (!best || window.logit > best.logit) best = window;
  return best
    ? { score: sigmoid(best.logit), start: best.start, end: best.end }
    : { score: 0, start: 0, end: 0 };
}

/**
 * The learned injection signal (`model`): hashed character and word n-grams with logistic regression.
 * It reads the guard's normalized text, so homoglyphs and invisible characters do not hide an attack.
 */
export function createModelSignal(options: ModelSignalOptions = {}): InjectionSignal {
  const model = options.model ?? loadDefaultModel()?.model;
  if (!model) {
    throw new Error('createModelSignal: no model given and models/injection-v1.bin is absent');
  }
  const findingThreshold = options.findingThreshold ?? 0.5;
  const abstainBelow = options.abstainBelow ?? 0;
  return {
    name: 'model',
    score(text: string, context: DetectContext) {
      const normalized = context.normalized.original === text ? context.normalized : undefined;
      const scored = normalized ? normalized.text : text;
      const window = bestWindow(model, scored);
      const findings: InjectionFinding[] = [];
      if (window.score >= findingThreshold) {
        const start = normalized ? normalized.toOriginal(window.start) : window.start;
        const end = normalized ? normalized.toOriginal(window.end) : window.end;
        findings.push({
          family: 'injection',
          detector: 'injection',
          category: 'prompt-injection',
          type: 'LEARNED_INJECTION',
          severity: window.score >= 0.9 ? 'high' : 'medium',
          score: window.score,
          start,
          end,
          ruleId: 'injection.model',
          signals: ['model'],
          evidence: `learned model score ${window.score.toFixed(3)}`,
        });
      }
      return { score: window.score < abstainBelow ? 0 : window.score, findings };
    },
  };
}

/** The model signal over the shipped weights, or `undefined` when `models/injection-v1.bin` is absent. */
export function createDefaultModelSignal(
  options: { abstainBelow?: number } = {},
): InjectionSignal | undefined {
  const stored = loadDefaultModel();
  return stored ? createModelSignal({ model: stored.model, ...options }) : undefined;
}
