import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import { FOLD_COUNT, foldOf } from '../source-folds.js';
import { ATTACK_FAMILIES } from './attack-families.js';
import { generateFamilyRows } from './generate-families.js';

describe('generateFamilyRows', () => {
  const rows = generateFamilyRows({ random: createSeededRandom(1), perTemplate: 2 });

  it('is deterministic for a seed', () => {
    const again = generateFamilyRows({ random: createSeededRandom(1), perTemplate: 2 });
    expect(again).toEqual(rows);
  });

  it('makes attacks of every family in both halves, plus benign matches, without duplicates', () => {
    for (const family of ATTACK_FAMILIES) {
      for (const half of ['a', 'b']) {
        expect(rows.some((row) => row.group === `synth-${family.name}-${half}` && row.label === 1)).toBe(
          true,
        );
      }
    }
    expect(rows.filter((row) => row.label === 0).length).toBeGreaterThan(50);
    expect(new Set(rows.map((row) => row.text)).size).toBe(rows.length);
    expect(rows.every((row) => !/\{[pto]\}/.test(row.text))).toBe(true);
  });

  it('puts the two halves of a family in different validation folds', () => {
    for (const family of ATTACK_FAMILIES) {
      const a = foldOf(`synth-${family.name}-a`);
      const b = foldOf(`synth-${family.name}-b`);
      expect(a).not.toBe(b);
      expect(a).toBeLessThan(FOLD_COUNT - 1);
      expect(b).toBeLessThan(FOLD_COUNT - 1);
    }
  });
});
