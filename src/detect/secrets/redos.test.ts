import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { identityText } from '../../spec/text.js';
import { createSecretsDetector } from '../secrets.js';
import { JWT_PATTERN } from './jwt.js';
import { EXAMPLE_PATTERN, FILLER_NAME_PATTERN, FILLER_PATTERN } from './placeholders.js';
import { PEM_HEADER_PATTERN } from './private-keys.js';
import { PROVIDER_RULES } from './provider-rules.js';
import { URL_USERINFO_PATTERN } from './url-password.js';

// Each pattern with the flags it runs with: provider rules run sticky (`y`) at their anchor or at token
// starts after their keyword. `d` (indices) and `g` do not change how a pattern matches.
const PATTERNS: readonly [string, string, string][] = [
  ...PROVIDER_RULES.map((rule) => [rule.id, rule.pattern.source, 'y'] as [string, string, string]),
  ...(
    [
      ['pem-header', PEM_HEADER_PATTERN],
      ['jwt', JWT_PATTERN],
      ['url-userinfo', URL_USERINFO_PATTERN],
      ['filler-name', FILLER_NAME_PATTERN],
      ['filler', FILLER_PATTERN],
      ['example', EXAMPLE_PATTERN],
    ] as const
  ).map(
    ([id, pattern]) => [id, pattern.source, pattern.flags.replace(/[dg]/g, '')] as [string, string, string],
  ),
];

// recheck's fuzzer is random and, by default, bounded by wall-clock budgets, so a loaded machine could flip
// a verdict. A fixed seed and step-count limits only (no time limits) make every run give the same answer.
const DETERMINISTIC = { randomSeed: 1, timeout: null, attackTimeout: null, incubationTimeout: null } as const;

describe('secret patterns', () => {
  // recheck fuzzes patterns with lookarounds, about a second each: this file is the slow one on purpose.
  it.each(PATTERNS)('%s is safe from catastrophic backtracking', (_id, source, flags) => {
    expect(checkSync(source, flags, DETERMINISTIC).status).toBe('safe');
  });

  it('completes on 1 MB adversarial inputs', () => {
    const detector = createSecretsDetector();
    const runs = [
      'A'.repeat(1 << 20),
      'aB3+/'.repeat(1 << 18),
      '-'.repeat(1 << 20),
      '='.repeat(1 << 20),
      '<'.repeat(1 << 20),
      "'".repeat(1 << 20),
      ' '.repeat(1 << 20),
      '0123456789abcdef'.repeat(1 << 16),
      'sk-'.repeat(1 << 18),
      'eyJ'.repeat(1 << 18),
      'eyJhbGciOiJub25lIn0.'.repeat(1 << 15),
      '://a:b'.repeat(1 << 17),
      '-----BEGIN RSA PRIVATE KEY-----'.repeat(1 << 15),
      'password=password='.repeat(1 << 16),
      'AKIA'.repeat(1 << 18),
      'secret token api_key '.repeat(1 << 15),
      // Codes whose low seven bits spell anchors (the scan's branch-free filter masks them).
      '\u00f0\u00e1\u00f3'.repeat(1 << 18),
      'pa\u00f3'.repeat(1 << 18),
      // Context keywords followed by near misses of their run shapes (run-shape.ts): many starts per
      // window, each rejected after a few characters.
      `adyen ${'A+'.repeat(60)}\n`.repeat(1 << 13),
      `telegram ${'1a'.repeat(60)}\n`.repeat(1 << 13),
      `apikey ${'a-'.repeat(60)}\n`.repeat(1 << 13),
      `secret ${'abc1Q~'.repeat(20)}\n`.repeat(1 << 13),
      // Keywords on one long line: each window's line breaks are looked for within the window only.
      'apikey '.repeat(1 << 17),
      'datadog '.repeat(1 << 17),
    ];
    for (const text of runs) {
      const findings = detector.detect(text, { role: 'user', normalized: identityText(text) });
      expect(Array.isArray(findings)).toBe(true);
    }
  });
});
