import { join } from 'node:path';
import type { DatasetRow, LoadedSet, RowError } from '../dataset-row.js';
import { lineError, readJsonFile, readJsonLines, rowError, stringField } from '../read-source.js';

/** Where an attack goes inside a clean context. */
export const INSERT_POSITIONS = ['start', 'middle', 'end'] as const;
export type InsertPosition = (typeof INSERT_POSITIONS)[number];

/**
 * Inserts `attack` into `context` at the start, the middle (the whitespace nearest the centre, so no word
 * is split) or the end, separated by blank lines as a pasted instruction would be.
 */
export function insertAttack(options: { context: string; attack: string; position: InsertPosition }): string {
  const { context, attack, position } = options;
  if (position === 'start') return `${attack}\n\n${context}`;
  if (position === 'end') return `${context}\n\n${attack}`;
  const centre = Math.floor(context.length / 2);
  let cut = context.indexOf(' ', centre);
  if (cut < 0) cut = context.lastIndexOf(' ', centre);
  if (cut < 0) cut = centre;
  return `${context.slice(0, cut)}\n\n${attack}\n\n${context.slice(cut)}`;
}

/** The BIPIA context kinds. Email contexts are train-ok; table and code contexts are eval-only. */
export type BipiaContext = 'email' | 'table' | 'code';

function readAttacks(path: string): string[] {
  const value = readJsonFile(path);
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value as Record<string, unknown>)
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .filter((text): text is string => typeof text === 'string' && text.trim() !== '');
}

function readContexts(options: { path: string; set: string; errors: RowError[] }): string[] {
  const contexts: string[] = [];
  for (const entry of readJsonLines(options.path)) {
    if ('error' in entry) {
      options.errors.push(lineError({ set: options.set, path: options.path, entry }));
      continue;
    }
    const value = (entry.value as { context?: unknown } | null)?.context;
    const text = Array.isArray(value)
      ? value.filter((line) => typeof line === 'string').join('\n')
      : undefined;
    const context = text ?? stringField(entry.value, 'context');
    if (!context || context.trim() === '') {
      options.errors.push(
        rowError({
          set: options.set,
          path: options.path,
          line: entry.line,
          message: 'field "context" is missing, not text, or empty',
        }),
      );
      continue;
    }
    contexts.push(context);
  }
  return contexts;
}

/**
 * BIPIA (indirect prompt injection): the clean contexts of one kind as benign documents, and, when
 * `withAttacks` is set, each attack instruction inserted at the start, middle and end of three different
 * contexts chosen deterministically (context = (attack index × 7 + position index) mod contexts).
 * Email and table contexts get the text attacks, code contexts the code attacks.
 */
export function loadBipia(options: {
  folder: string;
  context: BipiaContext;
  withAttacks: boolean;
  set: string;
}): LoadedSet {
  const { folder, context, set } = options;
  const errors: RowError[] = [];
  const contexts = readContexts({ path: join(folder, `${context}_train.jsonl`), set, errors });
  const rows: DatasetRow[] = contexts.map((text, index) => ({
    set,
    id: `${context}:${index}`,
    text,
    label: 0,
    group: `bipia-${context}`,
    role: 'document',
  }));
  if (options.withAttacks && contexts.length > 0) {
    const attacks = readAttacks(
      join(folder, context === 'code' ? 'code_attack_train.json' : 'text_attack_train.json'),
    );
    attacks.forEach((attack, attackIndex) => {
      INSERT_POSITIONS.forEach((position, positionIndex) => {
        const contextIndex = (attackIndex * 7 + positionIndex) % contexts.length;
        rows.push({
          set,
          id: `${context}:${contextIndex}:attack${attackIndex}:${position}`,
          text: insertAttack({ context: contexts[contextIndex]!, attack, position }),
          label: 1,
          group: `bipia-${context}-attack`,
          role: 'document',
        });
      });
    });
  }
  return { name: set, rows, errors };
}
