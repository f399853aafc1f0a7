import { describe, expect, it } from 'vitest';
import { EXTRACTION_RULES } from './extraction-rules.js';
import { JAILBREAK_RULES } from './jailbreak-rules.js';
import { OVERRIDE_RULES } from './override-rules.js';
import { REDOS_TEST_TIMEOUT_MS, rulePatterns, unsafePatterns } from './test-support/redos-support.js';

describe('ReDoS safety of the English rules', () => {
  it(
    'proves every override, jailbreak and extraction pattern safe',
    () => {
      expect(
        unsafePatterns(rulePatterns([...OVERRIDE_RULES, ...JAILBREAK_RULES, ...EXTRACTION_RULES])),
      ).toEqual([]);
    },
    REDOS_TEST_TIMEOUT_MS,
  );
});
