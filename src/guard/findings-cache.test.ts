import { describe, expect, it } from 'vitest';
import type { Detector } from '../spec/detector.js';
import { createGuard } from './create-guard.js';
import { createCacheContexts, createFindingsCache, findingsCacheContext } from './findings-cache.js';
import { sampleEmailDetector } from './test-support/sample-detectors.js';

function counting(inner: Detector): Detector & { calls: number } {
  const counter = {
    id: inner.id,
    family: inner.family,
    calls: 0,
    detect: (text: string, context: Parameters<Detector['detect']>[1]) => {
      counter.calls++;
      return inner.detect(text, context);
    },
  };
  return counter;
}

describe('findings cache in the guard', () => {
  it('runs detectors once per text, role and options, and still redacts per vault', () => {
    const detector = counting(sampleEmailDetector);
    const guard = createGuard({ detectors: [detector] });
    const history = 'my mail is bob@corp.com';
    const first = guard.check(history, { vault: guard.createVault() });
    const again = guard.check(history, { vault: guard.createVault() });
    expect(detector.calls).toBe(1);
    expect(again).toEqual(first);
    expect(again.redactedText).toBe('my mail is <EMAIL_ADDRESS_1>');
    guard.check(history, { role: 'document' });
    guard.check(history, { systemPrompt: 'be nice' });
    expect(detector.calls).toBe(3);
    expect(Object.isFrozen(first.findings[0])).toBe(true);
  });

  it('never caches a failure', () => {
    let fail = true;
    const flaky: Detector = {
      id: 'flaky',
      family: 'pii',
      detect(text, context) {
        if (fail) throw new Error('temporary');
        return sampleEmailDetector.detect(text, context);
      },
    };
    const guard = createGuard({ detectors: [flaky] });
    expect(guard.check('bob@corp.com').action).toBe('block');
    fail = false;
    expect(guard.check('bob@corp.com').action).toBe('redact');
  });

  it('can be turned off', () => {
    const detector = counting(sampleEmailDetector);
    const guard = createGuard({ detectors: [detector], cache: false });
    guard.check('same');
    guard.check('same');
    expect(detector.calls).toBe(2);
  });
});

describe('createFindingsCache', () => {
  it('evicts the least recently used entries past its bounds', () => {
    const cache = createFindingsCache({ maxEntries: 2, maxCharacters: 1000 });
    cache.set('a', []);
    cache.set('b', []);
    cache.get('a');
    cache.set('c', []);
    expect(cache.get('a')).toEqual([]);
    expect(cache.get('b')).toBeUndefined();
    const small = createFindingsCache({ maxEntries: 10, maxCharacters: 40 });
    small.set('x'.repeat(11), []);
    expect(small.get('x'.repeat(11))).toBeUndefined();
    small.set('y'.repeat(10), []);
    small.set('z'.repeat(10), []);
    small.set('w'.repeat(10), []);
    small.set('v'.repeat(10), []);
    small.set('u'.repeat(10), []);
    expect(small.get('y'.repeat(10))).toBeUndefined();
    expect(small.get('u'.repeat(10))).toEqual([]);
  });
});

describe('createFindingsCache recency', () => {
  it('keeps exactly what a plain least-recently-used list keeps, over many gets and sets', () => {
    const cache = createFindingsCache({ maxEntries: 8, maxCharacters: 1_000_000 });
    // The reference: texts from least to most recently used, and the contexts of each.
    const order: string[] = [];
    const contexts = new Map<string, string[]>();
    let pairs = 0;
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let step = 0; step < 5000; step++) {
      const text = `text ${next() % 14}`;
      const context = next() % 5 === 0 ? 'other' : '';
      const known = contexts.get(text)?.includes(context) === true;
      expect(cache.get(text, context) !== undefined).toBe(known);
      if (known) {
        order.splice(order.indexOf(text), 1);
        order.push(text);
        continue;
      }
      cache.set(text, [], context);
      // A new context of a remembered text keeps the text's place.
      if (!contexts.has(text)) order.push(text);
      contexts.set(text, [...(contexts.get(text) ?? []), context]);
      pairs++;
      while (pairs > 8) {
        const oldest = order.shift()!;
        pairs -= contexts.get(oldest)!.length;
        contexts.delete(oldest);
      }
    }
  });
});

describe('createCacheContexts', () => {
  it('gives the context findingsCacheContext builds, also when the caller changes its arrays', () => {
    const contexts = createCacheContexts();
    const canaries = ['one'];
    const detectors = ['pii'];
    const calls = [
      { role: 'assistant', detectors: undefined, systemPrompt: 'be nice', canaries: undefined },
      {
        role: 'assistant',
        detectors: undefined,
        systemPrompt: ['be', 'nice'].join(' '),
        canaries: undefined,
      },
      { role: 'assistant', detectors: undefined, systemPrompt: 'be kind', canaries: undefined },
      { role: 'assistant', detectors: undefined, systemPrompt: undefined, canaries: undefined },
      { role: 'user', detectors: undefined, systemPrompt: undefined, canaries: undefined },
      { role: 'assistant', detectors: undefined, systemPrompt: 'be kind', canaries },
      { role: 'assistant', detectors, systemPrompt: 'be kind', canaries: undefined },
    ];
    for (const call of calls) expect(contexts(call)).toBe(findingsCacheContext(call));
    canaries.push('two');
    detectors.push('secrets');
    for (const call of calls) expect(contexts(call)).toBe(findingsCacheContext(call));
  });
});
