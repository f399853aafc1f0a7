import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { POLICY_PATTERNS } from '../policy/policy-schema.js';
import { PLACEHOLDER_PATTERN } from './placeholder-pattern.js';
import { decryptTokens, ENCRYPTED_TOKEN_PATTERN } from './redaction/encrypt-operator.js';
import { KEY_PATTERNS } from './redaction/redaction-key.js';
import { createVault } from './vault.js';

const PATTERNS: Record<string, RegExp> = {
  placeholder: PLACEHOLDER_PATTERN,
  encryptedToken: ENCRYPTED_TOKEN_PATTERN,
  ...Object.fromEntries(
    Object.entries(POLICY_PATTERNS).map(([name, pattern]) => [`policy.${name}`, pattern]),
  ),
  ...Object.fromEntries(Object.entries(KEY_PATTERNS).map(([name, pattern]) => [`key.${name}`, pattern])),
};

// Fixed seed and step limits only (no wall-clock limits): the same verdict on a busy or an idle machine.
const DETERMINISTIC = { randomSeed: 0, timeout: null, attackTimeout: null, incubationTimeout: null } as const;

describe('regex safety of the guard and policy', () => {
  it.each(Object.entries(PATTERNS))('%s cannot backtrack catastrophically', (_name, pattern) => {
    const result = checkSync(pattern.source, pattern.flags, DETERMINISTIC);
    expect(result.status).toBe('safe');
  });

  it('restores 1 MB adversarial inputs (runs of what the patterns love)', () => {
    const vault = createVault();
    vault.placeholderFor('EMAIL_ADDRESS', 'a@example.com');
    const adversarial = [
      `<${'A'.repeat(1_000_000)}`,
      '<A'.repeat(500_000),
      `${'<EMAIL_ADDRESS_1'.repeat(60_000)}>`,
      `<enc:A:${'a'.repeat(1_000_000)}`,
    ];
    for (const text of adversarial) {
      expect(vault.restore(text).length).toBeGreaterThanOrEqual(text.length - 20);
      expect(decryptTokens(text, Buffer.alloc(32))).toBe(text);
      const restorer = vault.createRestorer();
      let out = '';
      for (let index = 0; index < text.length; index += 4096)
        out += restorer.push(text.slice(index, index + 4096));
      expect(out + restorer.flush()).toBe(vault.restore(text));
    }
  });
});
