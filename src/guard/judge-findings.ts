import type { RedactionOperatorName } from '../policy/policy-types.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { Role } from '../spec/role.js';
import { ACTIONS, actionRank, type Verdict } from '../spec/verdict.js';
import { applyRedactions, type RedactionSpan } from './apply-redactions.js';
import type { Collected } from './collect-findings.js';
import type { CompiledPolicy } from './compile-policy.js';
import { evaluatePolicy } from './evaluate-policy.js';
import type { RedactionOperator } from './redaction/redaction-operator.js';
import type { Vault } from './types.js';

const BLOCK_RANK = actionRank('block');
const REDACT_RANK = actionRank('redact');

/**
 * Turns the findings and detector failures of one text into a verdict: policy evaluation, fail mode per
 * family (closed → block), and redaction of the spans whose rule says `redact` when that is the action.
 */
export function judgeFindings(options: {
  policy: CompiledPolicy;
  role: Role;
  text: string;
  collected: Collected;
  vault: Vault;
  operatorFor: (name: RedactionOperatorName) => RedactionOperator;
}): Verdict {
  const { policy, role, text, collected } = options;
  if (collected.findings.length === 0 && collected.errors.length === 0) {
    return { action: 'allow', findings: [], score: 0, reasons: [] };
  }
  const evaluation = evaluatePolicy({ policy, role, text, findings: collected.findings });
  let rank = actionRank(evaluation.action);
  const reasons = evaluation.reasons;
  const verdict: Verdict = {
    action: evaluation.action,
    findings: evaluation.kept,
    score: evaluation.score,
    reasons,
  };
  if (collected.errors.length > 0) {
    verdict.errors = [];
    const failureReasons: string[] = [];
    for (const error of collected.errors) {
      verdict.errors.push({ detector: error.detector, code: error.code, message: error.message });
      if (policy.rules[role][error.family].failClosed) {
        rank = BLOCK_RANK;
        failureReasons.push(
          `block: detector ${error.detector} failed and the ${error.family} family fails closed`,
        );
      }
    }
    if (rank === BLOCK_RANK && failureReasons.length > 0) {
      // The failure set the action; reasons for weaker actions no longer explain it.
      verdict.reasons = [...reasons.filter((reason) => reason.startsWith('block:')), ...failureReasons];
    }
    verdict.action = ACTIONS[rank] ?? 'block';
  }
  if (rank === REDACT_RANK) {
    const spans: RedactionSpan[] = [];
    for (let index = 0; index < evaluation.kept.length; index++) {
      const rule = evaluation.rules[index]!;
      if (rule.rank !== REDACT_RANK) continue;
      spans.push({ finding: evaluation.kept[index]!, operator: options.operatorFor(rule.operator) });
    }
    try {
      verdict.redactedText = applyRedactions({ text, spans, vault: options.vault });
    } catch (error) {
      // Text that cannot be redacted must not pass: fail closed.
      const code = error instanceof AegisError ? error.code : ERROR_CODES.REDACTION_FAILED;
      const message = error instanceof AegisError ? error.message : 'redaction failed';
      verdict.action = 'block';
      verdict.errors = [...(verdict.errors ?? []), { detector: 'redaction', code, message }];
      verdict.reasons = [`block: redaction failed (${message})`];
    }
  }
  return verdict;
}
