import { describe, expect, it } from 'vitest';
import { identityText } from '../../spec/text.js';
import { createSecretsDetector } from '../secrets.js';
import { sampleFromPattern, seededRandom, seedOf } from './__fixtures__/sample-from-pattern.js';
import { PROVIDER_RULES } from './provider-rules.js';

const detector = createSecretsDetector();
const detect = (text: string) => detector.detect(text, { role: 'user', normalized: identityText(text) });

/** A sample whose start carries one of the rule's literal anchors where the rule expects it. */
function sampleFor(rule: (typeof PROVIDER_RULES)[number], round = 0): string {
  const random = seededRandom(seedOf(`${rule.id}#${round}`));
  for (let attempt = 0; attempt < 100; attempt++) {
    const sample = sampleFromPattern(rule.pattern, random);
    if (rule.match === 'context') return sample;
    const offset = rule.prefixOffset ?? 0;
    if (rule.prefixes.some((prefix) => sample.startsWith(prefix, offset))) return sample;
  }
  throw new Error(`no anchored sample for ${rule.id}`);
}

describe('provider rules', () => {
  it('has at least 80 distinct provider rule ids, well formed', () => {
    const ids = new Set(PROVIDER_RULES.map((rule) => rule.id));
    expect(ids.size).toBe(PROVIDER_RULES.length);
    expect(ids.size).toBeGreaterThanOrEqual(80);
    for (const rule of PROVIDER_RULES) {
      expect(rule.id).toMatch(/^secrets\.[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(rule.type).toMatch(/^[A-Z0-9]+(?:_[A-Z0-9]+)*$/);
      expect(rule.pattern.flags).toBe('');
    }
    const kinds = new Set(PROVIDER_RULES.map((rule) => rule.kind));
    expect([...kinds].sort()).toEqual(['chat', 'cloud', 'database', 'llm', 'payment', 'saas', 'vcs-ci']);
  });

  it.each(PROVIDER_RULES.map((rule) => [rule.id, rule] as const))('%s finds a generated key', (_id, rule) => {
    for (let round = 0; round < 3; round++) {
      const sample = sampleFor(rule, round);
      const lead = rule.match === 'prefix' ? 'value: ' : `${rule.keywords[0]} = `;
      const text = `${lead}${sample} end`;
      const findings = detect(text);
      const finding = findings.find((candidate) => candidate.ruleId === rule.id);
      expect(finding, text).toBeDefined();
      expect(finding!.start).toBeGreaterThanOrEqual(lead.length);
      expect(finding!.end).toBeLessThanOrEqual(lead.length + sample.length);
      expect(finding!.evidence).not.toContain(text.slice(finding!.start, finding!.end));
      expect(finding!.family).toBe('secrets');
      expect(finding!.severity).toBe(rule.severity);
      expect('example' in finding!).toBe(false);
      expect(finding!.category).toBe('secret');
    }
  });

  it('rates live-looking keys high or critical unless the format is public by design', () => {
    const lowByDesign = new Set([
      'secrets.stripe-publishable-key',
      'secrets.stripe-test-secret-key',
      'secrets.twilio-account-sid',
      'secrets.newrelic-browser-key',
      'secrets.sentry-dsn',
      'secrets.gitlab-feed-token',
    ]);
    for (const rule of PROVIDER_RULES) {
      if (lowByDesign.has(rule.id)) continue;
      expect(['high', 'critical'], rule.id).toContain(rule.severity);
    }
  });

  it('context rules need their keyword', () => {
    for (const rule of PROVIDER_RULES) {
      if (rule.match !== 'context') continue;
      const sample = sampleFor(rule);
      const findings = detect(`the value is ${sample} end`);
      expect(
        findings.some((finding) => finding.ruleId === rule.id),
        rule.id,
      ).toBe(false);
    }
  });

  it('prefix rules ignore anchors glued to a longer word', () => {
    const github = PROVIDER_RULES.find((rule) => rule.id === 'secrets.github-pat')!;
    const sample = sampleFor(github);
    expect(detect(`x${sample}`).some((finding) => finding.ruleId === 'secrets.github-pat')).toBe(false);
    expect(detect(`${sample}x`).some((finding) => finding.ruleId === 'secrets.github-pat')).toBe(false);
  });
});
