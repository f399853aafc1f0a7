import type { Detector, InjectionSignal } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { InjectionFinding } from '../spec/finding.js';
import { type Calibration, combineSignals, DEFAULT_CALIBRATION } from './injection/combine-signals.js';
import { matchToFinding, severityForScore } from './injection/rule-findings.js';
import { evaluateRules, type RuleMatch } from './injection/rule-signal.js';

/** Options of `createInjectionDetector`. */
export interface InjectionDetectorOptions {
  /** Extra signals (e.g. a learned model) combined with the rule signal into one score. */
  signals?: readonly InjectionSignal[];
  /** Overrides of `DEFAULT_CALIBRATION` (bias, per-signal weights). */
  calibration?: Partial<Calibration>;
}

/** Below this combined score a text with no rule match yields no finding. */
export const MIN_REPORTED_SCORE = 0.05;
const MAX_FINDINGS = 50;

function validateOptions(options: InjectionDetectorOptions): void {
  const invalid = (message: string) =>
    new AegisError(ERROR_CODES.INVALID_ARGUMENT, `injection detector: ${message}`);
  if (options.signals !== undefined) {
    if (!Array.isArray(options.signals)) throw invalid('signals must be an array');
    for (const signal of options.signals) {
      if (typeof signal?.name !== 'string' || typeof signal.score !== 'function') {
        throw invalid('each signal needs a name and a score(text, context) function');
      }
      if (signal.name === 'rules') throw invalid('the signal name "rules" is reserved for the rule signal');
    }
  }
  const calibration = options.calibration;
  if (calibration !== undefined) {
    for (const key of ['bias', 'defaultWeight', 'epsilon'] as const) {
      const value = calibration[key];
      if (value !== undefined && !Number.isFinite(value))
        throw invalid(`calibration.${key} must be a finite number`);
    }
    if (calibration.epsilon !== undefined && !(calibration.epsilon > 0 && calibration.epsilon < 0.5)) {
      throw invalid('calibration.epsilon must be between 0 and 0.5');
    }
    for (const [name, weight] of Object.entries(calibration.weights ?? {})) {
      if (!Number.isFinite(weight)) throw invalid(`calibration.weights.${name} must be a finite number`);
    }
  }
}

/** Keeps one finding per rule and overlapping span, preferring matches seen in the clear. */
function distinctMatches(matches: readonly RuleMatch[]): RuleMatch[] {
  const ordered = [...matches].sort(
    (left, right) =>
      left.start - right.start ||
      (left.decodedFrom?.length ?? 0) - (right.decodedFrom?.length ?? 0) ||
      right.end - left.end,
  );
  const kept: RuleMatch[] = [];
  const lastEndByRule = new Map<string, number>();
  for (const match of ordered) {
    const lastEnd = lastEndByRule.get(match.rule.id);
    if (lastEnd !== undefined && match.start < lastEnd) continue;
    lastEndByRule.set(match.rule.id, match.end);
    kept.push(match);
    if (kept.length >= MAX_FINDINGS) break;
  }
  return kept;
}

/**
 * Prompt-injection detector: rules for instruction override, jailbreak personas, system-prompt
 * extraction, chat-template tokens, encoded payloads, multilingual overrides and instructions planted in
 * documents, combined with any extra signals into one calibrated score that every finding carries.
 */
export function createInjectionDetector(options: InjectionDetectorOptions = {}): Detector {
  validateOptions(options);
  const signals = options.signals ?? [];
  const calibration: Calibration = Object.freeze({
    ...DEFAULT_CALIBRATION,
    ...options.calibration,
    weights: Object.freeze({ ...DEFAULT_CALIBRATION.weights, ...options.calibration?.weights }),
  });
  return {
    id: 'injection',
    family: 'injection',
    detect(text, context) {
      const evaluation = evaluateRules(context.normalized, { role: context.role });
      const extra = signals.map((signal) => ({ name: signal.name, ...signal.score(text, context) }));
      const combined = combineSignals(
        [{ name: 'rules', score: evaluation.score }, ...extra.map(({ name, score }) => ({ name, score }))],
        calibration,
      );
      const findingOptions = { score: combined.score, signals: combined.contributors, role: context.role };
      if (evaluation.matches.length > 0) {
        return distinctMatches(evaluation.matches).map((match) => matchToFinding(match, findingOptions));
      }
      if (combined.score < MIN_REPORTED_SCORE || extra.length === 0) return [];
      const strongest = extra.reduce((best, current) => (current.score > best.score ? current : best));
      const explained = strongest.findings.filter(
        (finding): finding is InjectionFinding => finding.family === 'injection',
      );
      const severity = severityForScore(combined.score);
      if (explained.length > 0) {
        return explained.slice(0, MAX_FINDINGS).map((finding) => ({
          ...finding,
          score: combined.score,
          severity,
          signals: combined.contributors,
        }));
      }
      return [
        {
          detector: 'injection',
          family: 'injection',
          category: 'prompt-injection',
          type: 'INJECTION_MODEL',
          severity,
          score: combined.score,
          start: 0,
          end: text.length,
          ruleId: `injection.signal.${strongest.name}`,
          evidence: `${strongest.name} score ${strongest.score.toFixed(3)}`,
          signals: combined.contributors,
        },
      ];
    },
  };
}
