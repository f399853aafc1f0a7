import { checkSync } from 'recheck';
import type { InjectionRule } from '../rule.js';

// recheck's fuzzer is random and bounded by wall-clock budgets by default, so a loaded machine could flip a
// verdict to "unknown". A fixed seed and step-count limits only make every run give the same answer.
const DETERMINISTIC = { randomSeed: 1, timeout: null, attackTimeout: null, incubationTimeout: null } as const;
/** Vitest timeout for a test that checks a whole list of patterns. */
export const REDOS_TEST_TIMEOUT_MS = 600_000;

/** Every regular expression a rule list uses (patterns and sentence-start conditions). */
export function rulePatterns(rules: readonly InjectionRule[]): RegExp[] {
  return rules.flatMap((rule) => (rule.sentenceStart ? [rule.pattern, rule.sentenceStart] : [rule.pattern]));
}

/** The ReDoS verdict of each pattern that the checker does not prove safe (empty when all are safe). */
export function unsafePatterns(patterns: readonly RegExp[]): string[] {
  const unsafe: string[] = [];
  for (const pattern of patterns) {
    const result = checkSync(pattern.source, pattern.flags.replace('g', ''), DETERMINISTIC);
    if (result.status !== 'safe')
      unsafe.push(`${result.status}: /${pattern.source.slice(0, 120)}/${pattern.flags}`);
  }
  return unsafe;
}
