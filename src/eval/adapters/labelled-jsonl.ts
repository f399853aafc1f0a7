import { basename } from 'node:path';
import type { LoadedSet } from '../dataset-row.js';
import { readJsonLines } from '../read-source.js';
import { mapRecords } from './records.js';

const ATTACK_LABELS = new Set<unknown>([
  1,
  true,
  '1',
  'attack',
  'injection',
  'jailbreak',
  'malicious',
  'unsafe',
]);
const BENIGN_LABELS = new Set<unknown>([0, false, '0', 'benign', 'safe']);

/**
 * Any JSONL of `{"text": string, "label": 0|1|true|false|"attack"|"benign", "language"?: string}`; the set
 * is named after the file unless `set` is given. Invalid lines become per-row errors.
 */
export function loadLabelledJsonl(options: { path: string; set?: string }): LoadedSet {
  const set = options.set ?? basename(options.path).replace(/\.jsonl$/, '');
  return mapRecords({
    set,
    path: options.path,
    idPrefix: set,
    records: readJsonLines(options.path),
    map(record) {
      if (typeof record !== 'object' || record === null) return { error: 'expected a JSON object' };
      const { text, label, language } = record as { text?: unknown; label?: unknown; language?: unknown };
      if (typeof text !== 'string') return { error: 'field "text" must be a string' };
      const attack = ATTACK_LABELS.has(typeof label === 'string' ? label.toLowerCase() : label);
      if (!attack && !BENIGN_LABELS.has(typeof label === 'string' ? label.toLowerCase() : label)) {
        return { error: 'field "label" must be 0/1, true/false or "attack"/"benign"' };
      }
      return {
        text,
        label: attack ? 1 : 0,
        ...(typeof language === 'string' && language !== '' ? { language } : {}),
      };
    },
  });
}
