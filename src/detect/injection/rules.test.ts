import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize.js';
import { MULTILINGUAL_LANGUAGES } from './multilingual-rules.js';
import { evaluateRules, INJECTION_RULES } from './rule-signal.js';

describe('injection rules', () => {
  it('have unique ids, weights in 0..1 and global patterns', () => {
    const ids = INJECTION_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of INJECTION_RULES) {
      expect(rule.id).toMatch(/^injection\.[a-z]+\.[a-z0-9.-]+$/);
      expect(rule.weight).toBeGreaterThanOrEqual(0);
      expect(rule.weight).toBeLessThan(1);
      expect(rule.dataWeight ?? rule.weight).toBeGreaterThan(0);
      expect(rule.pattern.global).toBe(true);
      expect(rule.type).toMatch(/^[A-Z_]+$/);
    }
  });

  it('each match their example through the anchor gate', () => {
    for (const rule of INJECTION_RULES) {
      const evaluation = evaluateRules(normalizeText(rule.example), { role: 'document', rules: [rule] });
      expect(
        evaluation.matches.some((match) => match.rule.id === rule.id && match.decodedFrom === undefined),
        `${rule.id}: ${rule.example}`,
      ).toBe(true);
    }
  });

  it('cover ten languages besides English', () => {
    expect([...MULTILINGUAL_LANGUAGES].sort()).toEqual([
      'ar',
      'de',
      'es',
      'fr',
      'hi',
      'it',
      'ja',
      'pt',
      'ru',
      'zh',
    ]);
  });
});
