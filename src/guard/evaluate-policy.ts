import type { Family, Finding } from '../spec/finding.js';
import type { Role } from '../spec/role.js';
import { ACTIONS, type Action } from '../spec/verdict.js';
import type { CompiledPolicy, EffectiveRule } from './compile-policy.js';
import { hostAllowed } from './host-allowed.js';

/** A finding kept by the policy and the rule that judged it. */
export interface JudgedFinding {
  finding: Finding;
  rule: EffectiveRule;
}

/** Outcome of applying a policy to the findings of one text. */
export interface PolicyEvaluation {
  action: Action;
  /** Findings kept after enabled flags, thresholds and allowlists. */
  kept: Finding[];
  /** Rules parallel to `kept`. */
  rules: EffectiveRule[];
  reasons: string[];
  /** Highest injection-family score among all findings, before thresholds (0 when none). */
  score: number;
}

/** The rule that applies to a finding of `family`/`type` in text written by `role`. */
export function ruleFor(options: {
  policy: CompiledPolicy;
  role: Role;
  family: Family;
  type: string;
}): EffectiveRule {
  const familyRules = options.policy.rules[options.role][options.family];
  return familyRules.types.get(options.type) ?? familyRules.base;
}

function isAllowlisted(policy: CompiledPolicy, finding: Finding, text: string): boolean {
  if (finding.family === 'output' && finding.host !== undefined && policy.allowedHosts.length > 0) {
    if (hostAllowed(finding.host, policy.allowedHosts)) return true;
  }
  if (policy.allowedValues.size === 0 && policy.allowedPatterns.length === 0) return false;
  const value = text.slice(finding.start, finding.end);
  if (policy.allowedValues.has(value)) return true;
  for (const pattern of policy.allowedPatterns) if (pattern.test(value)) return true;
  return false;
}

/**
 * Applies thresholds, allowlists and per-type actions to the findings of one text; the most restrictive
 * action wins. Reasons name each family/type that set the final action.
 */
export function evaluatePolicy(options: {
  policy: CompiledPolicy;
  role: Role;
  text: string;
  findings: readonly Finding[];
}): PolicyEvaluation {
  const { policy, role, text, findings } = options;
  const kept: Finding[] = [];
  const rules: EffectiveRule[] = [];
  let score = 0;
  let rank = 0;
  for (const finding of findings) {
    if (finding.family === 'injection' && finding.score > score) score = finding.score;
    const rule = ruleFor({ policy, role, family: finding.family, type: finding.type });
    if (!rule.enabled || finding.score < rule.threshold) continue;
    if (isAllowlisted(policy, finding, text)) continue;
    kept.push(finding);
    rules.push(rule);
    if (rule.rank > rank) rank = rule.rank;
  }
  const action = ACTIONS[rank] ?? 'allow';
  const reasons: string[] = [];
  if (rank > 0) {
    const seen = new Set<string>();
    for (let index = 0; index < kept.length; index++) {
      const finding = kept[index]!;
      const rule = rules[index]!;
      const key = `${finding.family}/${finding.type}`;
      if (rule.rank !== rank || seen.has(key)) continue;
      seen.add(key);
      reasons.push(
        `${action}: ${key} in ${role} text (score ${finding.score.toFixed(2)} ≥ threshold ${rule.threshold.toFixed(2)}, severity ${finding.severity})`,
      );
    }
  }
  return { action, kept, rules, reasons, score };
}
