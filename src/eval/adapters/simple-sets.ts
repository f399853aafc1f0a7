import { join } from 'node:path';
import type { LoadedSet } from '../dataset-row.js';
import { readJsonLines, stringField } from '../read-source.js';
import { mapRecords, mergeSets, readJsonArray } from './records.js';

/** The row error of a record without usable text: the field is absent, not a string, or blank. */
function missingText(field: string): string {
  return `field "${field}" is missing, not a string, or empty`;
}

/** Loads a JSON array of records, taking `field` as the text, all with one label. */
function loadJsonArrayField(options: {
  set: string;
  path: string;
  field: string;
  label: 0 | 1;
  extra?: string;
}): LoadedSet {
  const records = readJsonArray(options.path, options.set);
  if (!Array.isArray(records)) return records;
  return mapRecords({
    set: options.set,
    path: options.path,
    idPrefix: options.set,
    records,
    map(record) {
      const text = stringField(record, options.field);
      if (!text) return { error: missingText(options.field) };
      const extra = options.extra ? stringField(record, options.extra) : undefined;
      return { text: extra ? `${text}\n${extra}` : text, label: options.label };
    },
  });
}

/** AlpacaEval instructions (`alpaca_eval_805_with_outputs.json`, field `instruction`): benign. */
export function loadAlpacaEval(folder: string): LoadedSet {
  return loadJsonArrayField({
    set: 'alpaca-eval',
    path: join(folder, 'alpaca_eval_805_with_outputs.json'),
    field: 'instruction',
    label: 0,
  });
}

/** CodeAlpaca instructions plus their input (`code_alpaca_2k.json`): benign. */
export function loadCodeAlpaca(folder: string): LoadedSet {
  return loadJsonArrayField({
    set: 'codealpaca',
    path: join(folder, 'code_alpaca_2k.json'),
    field: 'instruction',
    extra: 'input',
    label: 0,
  });
}

/** In-the-wild jailbreak prompts (`inthewild_jailbreak_llms.json`, an array of strings): attacks. */
export function loadJailbreakInTheWild(folder: string): LoadedSet {
  const set = 'jailbreak-inthewild';
  const path = join(folder, 'inthewild_jailbreak_llms.json');
  const records = readJsonArray(path, set);
  if (!Array.isArray(records)) return records;
  return mapRecords({
    set,
    path,
    idPrefix: set,
    records,
    map: (record) =>
      typeof record === 'string' && record.trim().length > 0
        ? { text: record, label: 1 }
        : { error: 'expected a non-empty string' },
  });
}

/** WildGuardMix benign prompts via PIGuard (`wildguard.json`, `{prompt, label}`). */
export function loadWildguard(folder: string): LoadedSet {
  const set = 'wildguard';
  const path = join(folder, 'wildguard.json');
  const records = readJsonArray(path, set);
  if (!Array.isArray(records)) return records;
  return mapRecords({ set, path, idPrefix: set, records, map: promptLabelMapper });
}

/** PIGuard validation rows (`valid.json`, `{prompt, label, source}`; label 1 = injection). */
export function loadPiguardValid(folder: string): LoadedSet {
  const set = 'piguard-valid';
  const path = join(folder, 'valid.json');
  const records = readJsonArray(path, set);
  if (!Array.isArray(records)) return records;
  return mapRecords({ set, path, idPrefix: set, records, map: promptLabelMapper });
}

function promptLabelMapper(record: unknown) {
  const text = stringField(record, 'prompt');
  if (!text) return { error: missingText('prompt') };
  const label = (record as { label?: unknown }).label;
  if (label !== 0 && label !== 1) return { error: 'field "label" must be 0 or 1' };
  const group = stringField(record, 'source');
  return { text, label, ...(group ? { group } : {}) } as const;
}

/** Natural Questions open (`NQ-open.dev.jsonl`, `NQ-open.efficientqa.dev.1.1.jsonl`): benign questions. */
export function loadNqOpen(folder: string): LoadedSet {
  const files = ['NQ-open.dev.jsonl', 'NQ-open.efficientqa.dev.1.1.jsonl'];
  return mergeSets(
    'nq-open',
    files.map((file) =>
      mapRecords({
        set: 'nq-open',
        path: join(folder, file),
        idPrefix: file,
        records: readJsonLines(join(folder, file)),
        map(record) {
          const text = stringField(record, 'question');
          return text ? { text, label: 0, group: file } : { error: missingText('question') };
        },
      }),
    ),
  );
}

/** Arena-Hard v0.1 user prompts (`arena-hard-v0.1_question.jsonl`, field `prompt`): benign. */
export function loadArenaHard(folder: string): LoadedSet {
  const path = join(folder, 'arena-hard-v0.1_question.jsonl');
  return mapRecords({
    set: 'arena-hard',
    path,
    idPrefix: 'arena-hard',
    records: readJsonLines(path),
    map(record) {
      const text = stringField(record, 'prompt');
      if (!text) return { error: missingText('prompt') };
      const group = stringField(record, 'cluster');
      return { text, label: 0, ...(group ? { group } : {}) };
    },
  });
}

/** Tensor Trust hijacking and extraction robustness sets (`attack` field): attacks. */
export function loadTensorTrust(folder: string): LoadedSet {
  const files = ['hijacking_robustness_dataset.jsonl', 'extraction_robustness_dataset.jsonl'];
  return mergeSets(
    'tensor-trust',
    files.map((file) =>
      mapRecords({
        set: 'tensor-trust',
        path: join(folder, file),
        idPrefix: file,
        records: readJsonLines(join(folder, file)),
        map(record) {
          const text = stringField(record, 'attack');
          return text ? { text, label: 1, group: file.split('_')[0] } : { error: missingText('attack') };
        },
      }),
    ),
  );
}
