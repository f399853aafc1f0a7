import { checkSync } from 'recheck';
import type { InjectionRule } from '../rule.js';

const CHECK_TIMEOUT_MS = 60_000;
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
    // A generous checker budget: on a busy machine the default 10 s can run out and report "unknown".
    const result = checkSync(pattern.source, pattern.flags.replace('g', ''), { timeout: CHECK_TIMEOUT_MS });
    if (result.status !== 'safe')
      unsafe.push(`${result.status}: /${pattern.source.slice(0, 120)}/${pattern.flags}`);
  }
  return unsafe;
}
