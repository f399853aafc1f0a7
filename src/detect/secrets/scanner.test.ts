import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matcher, SecretMatch } from './matcher.js';
import { createSecretScanner, resolveOverlaps } from './scanner.js';

// Anchors that exercise every path of the scan's filters: two-character anchors (any third character),
// case-insensitive keywords, a non-ASCII third character and a third character of 127 (both open their
// slot to any third character), a non-ASCII fourth character (any fourth character passes the
// four-character filter), and prefixes that share their first two or three characters.
const ANCHORS: readonly { anchor: string; caseInsensitive: boolean }[] = [
  { anchor: 'SK', caseInsensitive: false },
  { anchor: 'pass', caseInsensitive: true },
  { anchor: 'api_key', caseInsensitive: true },
  { anchor: 'sk-', caseInsensitive: false },
  { anchor: 'sk_live_', caseInsensitive: false },
  { anchor: 'abé', caseInsensitive: false },
  { anchor: 'xy\u007f', caseInsensitive: false },
  { anchor: '://', caseInsensitive: false },
  { anchor: 'api\u00e9', caseInsensitive: false },
];

// Characters whose low seven bits equal anchor characters (á is 0xE1, 0xE1 & 127 is `a`), so the
// branch-free filter that masks codes to seven bits sees false candidates the exact test must reject.
const alphabet = fc.constantFrom(
  ...'SKskpPaAsS_-:/xyébil ve',
  '\u007f',
  '\u00e1',
  '\u00f3',
  '\u00cb',
  '\u0161',
  '\u2013',
  '😀',
  'pass',
  'PaSs',
  'API_KEY',
  'api_',
  'api\u00e9',
  'api\u00e1',
  'APIé',
  'sk_live_',
  'ab',
  'abé',
  'abá',
  'xy',
  'xy\u00ff',
  'SK',
  ':/',
);
const text = fc.array(alphabet, { maxLength: 80 }).map((parts) => parts.join(''));

interface Call {
  index: number;
  anchor: string;
  matcher: number;
}

/** Matchers that record every call and never match, so every anchor occurrence is reported. */
function recordingMatchers(calls: Call[]): Matcher[] {
  return ANCHORS.map(({ anchor, caseInsensitive }, matcher) => ({
    anchors: [anchor],
    caseInsensitive,
    find(_text, index, found) {
      calls.push({ index, anchor: found, matcher });
      return undefined;
    },
  }));
}

/** The slow path the scan replaces: every position, every anchor, compared directly. */
function naiveCalls(value: string): Call[] {
  const calls: Call[] = [];
  for (let index = 0; index < value.length - 1; index++) {
    ANCHORS.forEach(({ anchor, caseInsensitive }, matcher) => {
      const piece = value.slice(index, index + anchor.length);
      const folded = caseInsensitive ? piece.replace(/[A-Z]/g, (c) => c.toLowerCase()) : piece;
      if (folded === anchor) calls.push({ index, anchor, matcher });
    });
  }
  return calls;
}

const byPosition = (a: Call, b: Call) => a.index - b.index || a.matcher - b.matcher;

describe('createSecretScanner', () => {
  it('calls matchers at exactly the anchor occurrences a position-by-position search finds, in order', () => {
    fc.assert(
      fc.property(text, (value) => {
        const calls: Call[] = [];
        createSecretScanner(recordingMatchers(calls)).scan(value);
        for (let index = 1; index < calls.length; index++)
          expect(calls[index]!.index).toBeGreaterThanOrEqual(calls[index - 1]!.index);
        expect([...calls].sort(byPosition)).toEqual(naiveCalls(value).sort(byPosition));
      }),
      { numRuns: 400 },
    );
  });

  it('finds the same anchors when the byte copy of the text is cut into small chunks', () => {
    // Chunks of 1 to 6 positions put anchors across every kind of chunk boundary; the default chunk is
    // larger than the generated texts, so the test above covers the single-chunk path.
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 6 }), (value, chunkSize) => {
        const calls: Call[] = [];
        createSecretScanner(recordingMatchers(calls), { chunkSize }).scan(value);
        expect([...calls].sort(byPosition)).toEqual(naiveCalls(value).sort(byPosition));
      }),
      { numRuns: 400 },
    );
  });

  it('rejects a chunk size that is not a positive integer', () => {
    expect(() => createSecretScanner([], { chunkSize: 0 })).toThrow(/chunk size/);
  });

  it('finds anchors at the very start and end of the text', () => {
    const calls: Call[] = [];
    const scanner = createSecretScanner(recordingMatchers(calls));
    scanner.scan('SK');
    scanner.scan('x://');
    scanner.scan('S');
    scanner.scan('');
    expect(calls).toEqual([
      { index: 0, anchor: 'SK', matcher: 0 },
      { index: 1, anchor: '://', matcher: 7 },
    ]);
  });
});

/** `resolveOverlaps` without its shortcut for matches already in order and apart: sort, then clusters. */
function resolveBySorting(matches: readonly SecretMatch[]): SecretMatch[] {
  const tier = (match: SecretMatch): number => Math.min(match.priority, 3);
  const kept: SecretMatch[] = [];
  const resolve = (cluster: readonly SecretMatch[]): void => {
    const ranked = [...cluster].sort(
      (a, b) =>
        tier(b) - tier(a) ||
        b.end - b.start - (a.end - a.start) ||
        b.priority - a.priority ||
        b.score - a.score,
    );
    const chosen: SecretMatch[] = [];
    for (const candidate of ranked) {
      if (chosen.every((other) => candidate.end <= other.start || candidate.start >= other.end))
        chosen.push(candidate);
    }
    for (const match of chosen.sort((a, b) => a.start - b.start)) kept.push(match);
  };
  let cluster: SecretMatch[] = [];
  let clusterEnd = -1;
  for (const match of [...matches].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (match.start >= clusterEnd) {
      if (cluster.length > 0) resolve(cluster);
      cluster = [];
      clusterEnd = match.end;
    } else {
      clusterEnd = Math.max(clusterEnd, match.end);
    }
    cluster.push(match);
  }
  if (cluster.length > 0) resolve(cluster);
  return kept;
}

describe('resolveOverlaps', () => {
  it('returns a new empty list for no matches', () => {
    expect(resolveOverlaps([])).toEqual([]);
  });

  it('keeps what sorting and resolving clusters keeps, in order (property)', () => {
    // Small offsets so that matches touch, overlap, repeat and come empty or out of order.
    const match = fc
      .record({
        start: fc.integer({ min: 0, max: 12 }),
        length: fc.integer({ min: 0, max: 5 }),
        priority: fc.constantFrom(0, 1, 2, 3, 3.5, 4),
        score: fc.constantFrom(0.1, 0.5, 0.9),
      })
      .map(({ start, length, priority, score }) => ({
        ruleId: `rule-${priority}-${score}`,
        type: 'SECRET',
        severity: 'high' as const,
        score,
        start,
        end: start + length,
        priority,
      }));
    fc.assert(
      fc.property(fc.array(match, { maxLength: 6 }), (matches) => {
        expect(resolveOverlaps(matches)).toEqual(resolveBySorting(matches));
      }),
      { numRuns: 3000, seed: 11 },
    );
    const apart = [
      { ruleId: 'a', type: 'A', severity: 'high' as const, score: 0.9, start: 0, end: 4, priority: 3 },
      { ruleId: 'b', type: 'B', severity: 'high' as const, score: 0.9, start: 4, end: 9, priority: 0 },
    ];
    const kept = resolveOverlaps(apart);
    expect(kept).toEqual(apart);
    expect(kept).not.toBe(apart);
  });
});
