import { compileAllowPattern } from '../policy/check-pattern.js';
import type { Policy, RedactionOperatorName } from '../policy/policy-types.js';
import { FAMILIES, type Family } from '../spec/finding.js';
import { ROLES, type Role } from '../spec/role.js';
import { type Action, actionRank } from '../spec/verdict.js';

/** The effective rule for one (role, family, type): every override already applied. */
export interface EffectiveRule {
  enabled: boolean;
  action: Action;
  rank: number;
  threshold: number;
  operator: RedactionOperatorName;
}

/** Rules of one family for one role: a default and per-type exceptions. */
export interface FamilyRules {
  enabled: boolean;
  failClosed: boolean;
  base: EffectiveRule;
  types: ReadonlyMap<string, EffectiveRule>;
}

/** A policy turned into lookup tables once, so evaluating findings allocates nothing per finding. */
export interface CompiledPolicy {
  policy: Policy;
  /** Families that run for each role (role scope ∩ enabled families). */
  familiesByRole: Readonly<Record<Role, ReadonlySet<Family>>>;
  rules: Readonly<Record<Role, Readonly<Record<Family, FamilyRules>>>>;
  allowedValues: ReadonlySet<string>;
  allowedPatterns: readonly RegExp[];
  allowedHosts: readonly string[];
  /** True when any rule redacts with `hash` or `encrypt` (they need a key). */
  needsKey: boolean;
}

function makeRule(parts: {
  enabled: boolean;
  action: Action;
  threshold: number;
  operator: RedactionOperatorName;
}): EffectiveRule {
  return { ...parts, rank: actionRank(parts.action) };
}

/** Builds lookup tables from a resolved policy. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  let needsKey = false;
  const familiesByRole = {} as Record<Role, Set<Family>>;
  const rules = {} as Record<Role, Record<Family, FamilyRules>>;
  for (const role of ROLES) {
    rules[role] = {} as Record<Family, FamilyRules>;
    for (const family of FAMILIES) {
      const familyPolicy = policy.families[family];
      const roleRule = familyPolicy.roles[role] ?? {};
      const base = makeRule({
        enabled: familyPolicy.enabled && (roleRule.enabled ?? true),
        action: roleRule.action ?? familyPolicy.action,
        threshold: roleRule.threshold ?? familyPolicy.threshold,
        operator: familyPolicy.redaction,
      });
      const types = new Map<string, EffectiveRule>();
      for (const [type, typeRule] of Object.entries(familyPolicy.types)) {
        types.set(
          type,
          makeRule({
            enabled: base.enabled && (typeRule.enabled ?? true),
            action: typeRule.action ?? base.action,
            threshold: typeRule.threshold ?? base.threshold,
            operator: typeRule.redaction ?? base.operator,
          }),
        );
      }
      for (const rule of [base, ...types.values()]) {
        if (rule.operator === 'hash' || rule.operator === 'encrypt') needsKey = true;
      }
      rules[role][family] = {
        enabled: base.enabled,
        failClosed: familyPolicy.failMode === 'closed',
        base,
        types,
      };
    }
  }
  for (const role of ROLES) {
    // A family disabled for a role (or everywhere) is not run at all, not just ignored.
    familiesByRole[role] = new Set(
      policy.roles[role].families.filter((family) => rules[role][family].enabled),
    );
  }
  return {
    policy,
    familiesByRole,
    rules,
    allowedValues: new Set(policy.allowlist.values),
    allowedPatterns: policy.allowlist.patterns.map((pattern, index) =>
      compileAllowPattern(pattern, `allowlist.patterns.${index}`),
    ),
    allowedHosts: policy.allowlist.hosts,
    needsKey,
  };
}
