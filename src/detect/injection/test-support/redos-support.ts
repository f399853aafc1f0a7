import { checkSync } from 'recheck';
import type { InjectionRule } from '../rule.js';

/** Every regular expression a rule list uses (patterns and sentence-start conditions). */
export function rulePatterns(rules: readonly InjectionRule[]): RegExp[] {
  return rules.flatMap((rule) => (rule.sentenceStart ? [rule.pattern, rule.sentenceStart] : [rule.pattern]));
}

/** The ReDoS verdict of each pattern that the checker does not prove safe (empty when all are safe). */
export function unsafePatterns(patterns: readonly RegExp[]): string[] {
  const unsafe: string[] = [];
  for (const pattern of patterns) {
    const result = checkSync(pattern.source, pattern.flags.replace('g', ''));
    if (result.status !== 'safe')
      unsafe.push(`${result.status}: /${pattern.source.slice(0, 120)}/${pattern.flags}`);
  }
  return unsafe;
}
