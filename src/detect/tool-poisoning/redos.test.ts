import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { TOOL_POISONING_RULES } from './scan-tool-definition.js';

// recheck's fuzzer is random and bounded by wall-clock budgets by default, so a loaded machine could flip a
// verdict. A fixed seed and step-count limits only make every run give the same answer.
const DETERMINISTIC = { randomSeed: 1, timeout: null, attackTimeout: null, incubationTimeout: null } as const;

const PATTERNS = TOOL_POISONING_RULES.flatMap((rule) => [
  [`${rule.id} pattern`, rule.pattern] as const,
  ...(rule.followedBy === undefined ? [] : [[`${rule.id} followedBy`, rule.followedBy] as const]),
  ...(rule.near === undefined ? [] : [[`${rule.id} near`, rule.near] as const]),
]);

describe('tool-poisoning patterns', () => {
  it.each(PATTERNS)(
    '%s is safe from catastrophic backtracking',
    (_id, pattern) => {
      expect(checkSync(pattern.source, pattern.flags.replace('g', ''), DETERMINISTIC).status).toBe('safe');
    },
    600_000,
  );
});
