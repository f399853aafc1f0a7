import { describe, expect, it } from 'vitest';
import { WHITESPACE_TO_COLLAPSE } from './collapse-whitespace.js';
import { DECODER_PATTERNS } from './decoders.js';
import { REDOS_TEST_TIMEOUT_MS, unsafePatterns } from './test-support/redos-support.js';

describe('ReDoS safety of the decoders', () => {
  it(
    'proves every decoder pattern safe',
    () => {
      expect(unsafePatterns([...DECODER_PATTERNS, WHITESPACE_TO_COLLAPSE])).toEqual([]);
    },
    REDOS_TEST_TIMEOUT_MS,
  );
});
