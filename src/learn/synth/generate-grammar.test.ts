import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import { EXTRACTION_DIRECTIVES, HIJACK_DIRECTIVES, OVERRIDES } from './attack-grammar.js';
import { generateGrammarRows } from './generate-grammar.js';

describe('generateGrammarRows', () => {
  const rows = generateGrammarRows({ random: createSeededRandom(7), count: 40 });

  it('is deterministic for a seed and has no duplicate texts', () => {
    const again = generateGrammarRows({ random: createSeededRandom(7), count: 40 });
    expect(again).toEqual(rows);
    expect(new Set(rows.map((row) => row.text)).size).toBe(rows.length);
  });

  it('labels hijack and extraction rows as attacks and the benign frames as benign, per half', () => {
    const counts: Record<string, number> = {};
    for (const row of rows) counts[row.group] = (counts[row.group] ?? 0) + 1;
    expect(counts).toEqual({
      'synth-grammar-hijack-a': 40,
      'synth-grammar-extraction-a': 40,
      'synth-grammar-benign-a': 80,
      'synth-grammar-hijack-b': 40,
      'synth-grammar-extraction-b': 40,
      'synth-grammar-benign-b': 80,
    });
    for (const row of rows) expect(row.label).toBe(row.group.includes('benign') ? 0 : 1);
  });

  it('never uses wording of the other half, so a held-out half is unseen', () => {
    const parts = [
      ...OVERRIDES,
      ...EXTRACTION_DIRECTIVES,
      ...HIJACK_DIRECTIVES.map((d) => d.split('{o}')[0]!),
    ];
    const halfOf = (part: string): 'a' | 'b' => {
      for (const list of [OVERRIDES, EXTRACTION_DIRECTIVES, HIJACK_DIRECTIVES]) {
        const index = list.findIndex((entry) => entry === part || entry.startsWith(part));
        if (index >= 0) return index % 2 === 0 ? 'a' : 'b';
      }
      throw new Error(part);
    };
    for (const row of rows.filter((r) => r.label === 1)) {
      const half = row.group.endsWith('-a') ? 'a' : 'b';
      const lower = row.text.toLowerCase();
      for (const part of parts) {
        if (part.length > 12 && lower.includes(part.toLowerCase())) expect(halfOf(part)).toBe(half);
      }
    }
  });
});
