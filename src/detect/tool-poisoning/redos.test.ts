import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { scanToolDefinition, TOOL_POISONING_RULES } from './scan-tool-definition.js';
import { SEPARATED_LETTERS_QUICK_TESTS } from './separated-letters-view.js';

// recheck's fuzzer is random and bounded by wall-clock budgets by default, so a loaded machine could flip a
// verdict. A fixed seed and step-count limits only make every run give the same answer.
const DETERMINISTIC = { randomSeed: 1, timeout: null, attackTimeout: null, incubationTimeout: null } as const;

const PATTERNS: (readonly [string, RegExp])[] = TOOL_POISONING_RULES.flatMap(
  (rule): (readonly [string, RegExp])[] => [
    [`${rule.id} pattern`, rule.pattern] as const,
    ...(rule.followedBy === undefined ? [] : [[`${rule.id} followedBy`, rule.followedBy] as const]),
    ...(rule.near === undefined ? [] : [[`${rule.id} near`, rule.near] as const]),
    ...(rule.alsoNear === undefined ? [] : [[`${rule.id} alsoNear`, rule.alsoNear] as const]),
  ],
).concat(
  SEPARATED_LETTERS_QUICK_TESTS.map(
    (pattern, index) => [`separated letters quick test ${index}`, pattern] as const,
  ),
);

describe('tool-poisoning patterns', () => {
  it.each(PATTERNS)(
    '%s is safe from catastrophic backtracking',
    (_id, pattern) => {
      expect(checkSync(pattern.source, pattern.flags.replace('g', ''), DETERMINISTIC).status).toBe('safe');
    },
    600_000,
  );
});

describe('tool-poisoning views on hostile input', () => {
  // The separated-letters view walks the text once (each separator is read at most twice); long runs of what
  // it joins, of near-misses that stop a run at every step, and of invisible padding must all complete. So
  // must runs of what the other-language rules look for, including text with no spaces (a `followedBy`
  // search after each match is bounded in characters, not only in words).
  const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length));
  const size = 1 << 18;
  it.each([
    'a.',
    'a ',
    'a  ',
    'a.b ',
    'ab.',
    'a.\u200b',
    'a\u200b\u200b\u200b.',
    'a\u00ad',
    '. ',
    '" a',
    'a. ',
    'a-b-c d_e_f ',
    'é·',
    'r e a d  ',
    'a\n',
    '~/.ssh/',
    '其内容作为',
    'その内容を',
    '请读取 ',
    '~/.ssh を読み取',
    'lies ~/.ssh/',
    'übergib den Inhalt ',
    'sende immer a@b.c ',
    'a@b.immer ',
    "als 'x' ",
  ])('scans %j repeated to 256 KB', (unit) => {
    const text = repeat(unit, size);
    expect(scanToolDefinition(text).score).toBeGreaterThanOrEqual(0);
    expect(scanToolDefinition(text, { identifier: true }).score).toBeGreaterThanOrEqual(0);
  });
});
