import type { SeededRandom } from '../seeded-random.js';
import { BENIGN_PARAGRAPHS } from './attack-families.js';
import {
  BENIGN_DIRECTIVES,
  BENIGN_OPENERS,
  BOUNDARIES,
  EXTRACTION_DIRECTIVES,
  HIJACK_DIRECTIVES,
  HIJACK_OUTPUTS,
  OVERRIDES,
  PRESSURES,
} from './attack-grammar.js';
import type { FamilyRow } from './generate-families.js';

type Half = 'a' | 'b';

/** The entries of `list` in one half (even indexes for `a`, odd for `b`). */
function half<T>(list: readonly T[], which: Half): readonly T[] {
  return list.filter((_, index) => index % 2 === (which === 'a' ? 0 : 1));
}

interface HalfLists {
  overrides: readonly string[];
  hijacks: readonly string[];
  outputs: readonly string[];
  extractions: readonly string[];
  pressures: readonly string[];
  boundaries: readonly string[];
  benign: readonly string[];
  openers: readonly string[];
  paragraphs: readonly string[];
}

function listsOf(which: Half): HalfLists {
  return {
    overrides: half(OVERRIDES, which),
    hijacks: half(HIJACK_DIRECTIVES, which),
    outputs: half(HIJACK_OUTPUTS, which),
    extractions: half(EXTRACTION_DIRECTIVES, which),
    pressures: half(PRESSURES, which),
    boundaries: half(BOUNDARIES, which),
    benign: half(BENIGN_DIRECTIVES, which),
    openers: half(BENIGN_OPENERS, which),
    paragraphs: half(BENIGN_PARAGRAPHS, which),
  };
}

/** Joins parts the way people write: one line, or one part per line. */
function join(parts: readonly string[], random: SeededRandom): string {
  const separator = random.next() < 0.3 ? '\n' : ' ';
  return parts.filter((part) => part.length > 0).join(separator);
}

/** Letter case and a benign prefix vary the surface; both classes get the same variation. */
function finish(text: string, lists: HalfLists, random: SeededRandom): string {
  let out = text;
  const roll = random.next();
  if (roll < 0.07) out = out.toUpperCase();
  else if (roll < 0.17) out = out.toLowerCase();
  if (random.next() < 0.25) out = `${random.pick(lists.paragraphs)}\n\n${out}`;
  return out;
}

function hijack(lists: HalfLists, random: SeededRandom): string {
  const directive = random.pick(lists.hijacks).replaceAll('{o}', random.pick(lists.outputs));
  const override = random.next() < 0.85 ? random.pick(lists.overrides) : '';
  const pressure = random.next() < 0.3 ? random.pick(lists.pressures) : '';
  const boundary = random.next() < 0.2 || override === '' ? random.pick(lists.boundaries) : '';
  const body = random.next() < 0.8 ? [override, pressure, directive] : [directive, pressure, override];
  return finish(join([boundary, ...body], random), lists, random);
}

function extraction(lists: HalfLists, random: SeededRandom): string {
  const directive = random.pick(lists.extractions);
  const override = random.next() < 0.5 ? random.pick(lists.overrides) : '';
  const pressure = random.next() < 0.35 ? random.pick(lists.pressures) : '';
  const boundary = random.next() < 0.2 ? random.pick(lists.boundaries) : '';
  return finish(join([boundary, override, pressure, directive], random), lists, random);
}

function benign(lists: HalfLists, random: SeededRandom): string {
  const opener = random.next() < 0.5 ? random.pick(lists.openers) : '';
  // Markdown rules and fences are everyday formatting, so benign rows carry them too.
  const rule = random.next() < 0.1 ? random.pick(['-----', '```']) : '';
  return finish(join([rule, opener, random.pick(lists.benign)], random), lists, random);
}

/**
 * Rows of the hijack / extraction grammar and its benign frames, `count` attacks of each kind and as many
 * benign rows per half. Groups are `synth-grammar-<kind>-<half>`, so validation can hold a half out.
 */
export function generateGrammarRows(options: { random: SeededRandom; count: number }): FamilyRow[] {
  const { random, count } = options;
  const rows: FamilyRow[] = [];
  const seen = new Set<string>();
  const makers = [
    { kind: 'hijack', label: 1 as const, make: hijack },
    { kind: 'extraction', label: 1 as const, make: extraction },
    { kind: 'benign', label: 0 as const, make: benign },
  ];
  for (const which of ['a', 'b'] as const) {
    const lists = listsOf(which);
    for (const { kind, label, make } of makers) {
      const target = kind === 'benign' ? count * 2 : count;
      let made = 0;
      for (let attempt = 0; attempt < target * 4 && made < target; attempt++) {
        const text = make(lists, random);
        if (seen.has(text)) continue;
        seen.add(text);
        rows.push({ text, label, group: `synth-grammar-${kind}-${which}` });
        made++;
      }
    }
  }
  return rows;
}
