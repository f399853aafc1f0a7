import { describe, expect, it } from 'vitest';
import { INDIRECT_RULES } from './indirect-rules.js';
import { MULTILINGUAL_RULES } from './multilingual-rules.js';
import { TEMPLATE_TOKEN_RULES } from './template-tokens.js';
import { REDOS_TEST_TIMEOUT_MS, rulePatterns, unsafePatterns } from './test-support/redos-support.js';

describe('ReDoS safety of the template, indirect and multilingual rules', () => {
  it(
    'proves every pattern safe',
    () => {
      expect(
        unsafePatterns(rulePatterns([...TEMPLATE_TOKEN_RULES, ...INDIRECT_RULES, ...MULTILINGUAL_RULES])),
      ).toEqual([]);
    },
    REDOS_TEST_TIMEOUT_MS,
  );
});
