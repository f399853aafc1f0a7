import type { SeededRandom } from '../seeded-random.js';
import { ATTACK_FAMILIES, BENIGN_PARAGRAPHS, FORCED_OUTPUTS, HIJACKED_TASKS } from './attack-families.js';
import { ATTACK_PAYLOADS } from './attack-templates.js';
import { BENIGN_MATCHED_TEMPLATES, BENIGN_TASKS, BENIGN_TOPICS } from './benign-matched.js';

/** A generated row before the caller adds its id. */
export interface FamilyRow {
  text: string;
  label: 0 | 1;
  group: string;
}

const OPENERS = ['', '', '', 'Hey, ', 'Please: ', 'OK. ', 'Hello! ', 'One more thing. ', 'Important: '];
const CLOSERS = ['', '', '', ' Thanks!', ' Do it now.', ' This is urgent.', ' :)', '\n'];

/** Surface variation: openers and closers, letter case, line breaks (how real prompts differ). */
function vary(text: string, random: SeededRandom): string {
  let out = `${random.pick(OPENERS)}${text}${random.pick(CLOSERS)}`;
  const roll = random.next();
  if (roll < 0.08) out = out.toUpperCase();
  else if (roll < 0.16) out = out.toLowerCase();
  else if (roll < 0.22) out = out.replace(/\. /g, '.\n');
  return out;
}

function fill(template: string, random: SeededRandom): string {
  return template
    .replaceAll('{p}', random.pick(ATTACK_PAYLOADS))
    .replaceAll('{t}', random.pick(HIJACKED_TASKS))
    .replaceAll('{o}', random.pick(FORCED_OUTPUTS));
}

/**
 * Rows of the attack families and their benign matches. Each family's templates are split by index
 * parity into halves `a` and `b` (groups `synth-<family>-a|b`), which validation holds out separately.
 * About a quarter of the attacks follow a long benign prefix, and some sit in a sandwich between two
 * benign paragraphs (an injection buried in a document).
 */
export function generateFamilyRows(options: { random: SeededRandom; perTemplate: number }): FamilyRow[] {
  const { random, perTemplate } = options;
  const rows: FamilyRow[] = [];
  const seen = new Set<string>();
  const push = (row: FamilyRow): void => {
    if (seen.has(row.text)) return;
    seen.add(row.text);
    rows.push(row);
  };
  for (const family of ATTACK_FAMILIES) {
    family.templates.forEach((template, index) => {
      const group = `synth-${family.name}-${index % 2 === 0 ? 'a' : 'b'}`;
      for (let copy = 0; copy < perTemplate; copy++) {
        const attack = vary(fill(template, random), random);
        const placement = random.next();
        let text = attack;
        if (placement < 0.18) text = `${random.pick(BENIGN_PARAGRAPHS)}\n\n${attack}`;
        else if (placement < 0.26)
          text = `${random.pick(BENIGN_PARAGRAPHS)}\n${attack}\n${random.pick(BENIGN_PARAGRAPHS)}`;
        push({ text, label: 1, group });
      }
    });
  }
  BENIGN_MATCHED_TEMPLATES.forEach((template, index) => {
    const group = `synth-matched-${index % 2 === 0 ? 'a' : 'b'}`;
    for (let copy = 0; copy < 3; copy++) {
      const base = template
        .replaceAll('{t}', random.pick(BENIGN_TASKS))
        .replaceAll('{x}', random.pick(BENIGN_TOPICS));
      const text = random.next() < 0.25 ? `${random.pick(BENIGN_PARAGRAPHS)}\n\n${base}` : vary(base, random);
      push({ text, label: 0, group });
    }
  });
  BENIGN_PARAGRAPHS.forEach((paragraph, index) => {
    const group = `synth-matched-${index % 2 === 0 ? 'a' : 'b'}`;
    push({ text: paragraph, label: 0, group });
    push({ text: `${paragraph}\n\n${random.pick(BENIGN_PARAGRAPHS)}`, label: 0, group });
  });
  return rows;
}
