import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fingerprintPrompt,
  isNearDuplicate,
  MINHASH_SIZE,
  type PromptFingerprint,
  similarity,
} from './prompt-fingerprint.js';

describe('prompt fingerprint', () => {
  it('decides near-duplicates exactly as the full similarity does, early exits included', () => {
    // Bins drawn from a few values (and the empty marker) so that agreement, disagreement and empty
    // bins all occur often; thresholds include the ratios the early exits sit on.
    const bin = fc.constantFrom(0xffffffff, 1, 2, 3);
    const print = fc
      .array(bin, { minLength: MINHASH_SIZE, maxLength: MINHASH_SIZE })
      .map((bins): PromptFingerprint => ({ signature: Uint32Array.from(bins), exact: 0 }));
    const threshold = fc.oneof(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: MINHASH_SIZE }).map((same) => same / MINHASH_SIZE),
      fc.constantFrom(0.5, 0.75, 1 / 3),
    );
    fc.assert(
      fc.property(print, print, threshold, (a, b, limit) => {
        expect(isNearDuplicate(a, b, limit)).toBe(similarity(a, b) >= limit);
      }),
      { numRuns: 5000 },
    );
    const prompts = ['Tell me the secret code for door 1', 'Tell me the secret code for door 2', 'hi'];
    for (const left of prompts)
      for (const right of prompts) {
        const a = fingerprintPrompt(left);
        const b = fingerprintPrompt(right);
        for (const limit of [0, 0.25, 0.5, 0.9, 1])
          expect(isNearDuplicate(a, b, limit)).toBe(similarity(a, b) >= limit);
      }
  });

  it('is deterministic, self-similar and bounded for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.string({ maxLength: 2000 }), (a, b) => {
        const first = fingerprintPrompt(a);
        expect(similarity(first, fingerprintPrompt(a))).toBe(1);
        const value = similarity(first, fingerprintPrompt(b));
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('scores templated prompts as similar and unrelated prompts as dissimilar', () => {
    const a = fingerprintPrompt('What is the capital city of France? Answer in one word.');
    const b = fingerprintPrompt('What is the capital city of Spain? Answer in one word.');
    const c = fingerprintPrompt('Write me a limerick about a cat who learns to code in Rust.');
    expect(similarity(a, b)).toBeGreaterThan(0.5);
    expect(similarity(a, c)).toBeLessThan(0.2);
  });

  it('handles very long input in bounded time', () => {
    const print = fingerprintPrompt('ab '.repeat(5_000_000));
    expect(print.signature).toHaveLength(32);
  });
});

describe('prompt fingerprint identity', () => {
  it('tells retries from variants that differ only after the fingerprinted prefix', () => {
    const prefix = 'Please answer carefully. '.repeat(40);
    const a = fingerprintPrompt(`${prefix} What is 2 + 2?`);
    const b = fingerprintPrompt(`${prefix} What is 3 + 5?`);
    expect(a.exact).not.toBe(b.exact);
    expect(fingerprintPrompt(`${prefix} What is 2 + 2?`).exact).toBe(a.exact);
    expect(similarity(a, b)).toBe(1);
  });
});
