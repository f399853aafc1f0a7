import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { loadLabelledJsonl } from './adapters/labelled-jsonl.js';
import { loadPintYaml } from './adapters/pint-example.js';
import { DATASET_CATALOG, type DatasetEntry } from './dataset-catalog.js';
import type { LoadedSet } from './dataset-row.js';

/** The catalog entry for a set name; unknown names are `AEGIS_INVALID_ARGUMENT` listing the known ones. */
export function datasetEntry(name: string): DatasetEntry {
  const entry = DATASET_CATALOG.find((candidate) => candidate.name === name);
  if (!entry) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `unknown dataset "${name}"; known: ${DATASET_CATALOG.map((known) => known.name).join(', ')}, or a path to a .jsonl/.yaml file`,
    );
  }
  return entry;
}

/** True when a `--sets` entry names a file (`.jsonl`, `.yaml`, `.yml`) rather than a catalog set. */
export function isDatasetFile(name: string): boolean {
  return /\.(jsonl|ya?ml)$/i.test(name);
}

/**
 * Loads one set: a catalog name (read from `dataDir/<folder>`), or a path to a JSONL of `{text,label}` or a
 * PINT-format YAML file. A missing folder is `AEGIS_DATASET_MISSING` saying what to download and where.
 */
export function loadDataset(options: { dataDir: string; name: string }): LoadedSet {
  const { dataDir, name } = options;
  if (isDatasetFile(name)) {
    const path = resolve(name);
    if (!existsSync(path)) {
      throw new AegisError(ERROR_CODES.DATASET_MISSING, `dataset file ${path} does not exist`, {
        details: { path },
      });
    }
    return /\.jsonl$/i.test(name)
      ? loadLabelledJsonl({ path })
      : loadPintYaml({ path, set: name.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '') });
  }
  const entry = datasetEntry(name);
  const folder = join(dataDir, entry.folder);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AegisError(
      ERROR_CODES.DATASET_MISSING,
      `dataset "${entry.name}" is missing: expected the folder ${folder}. Download ${entry.source} and place the files there (see the data README).`,
      { details: { set: entry.name, folder } },
    );
  }
  return entry.load(folder);
}

/** True when the data directory holds the folder of a catalog set. */
export function datasetPresent(options: { dataDir: string; name: string }): boolean {
  const entry = DATASET_CATALOG.find((candidate) => candidate.name === options.name);
  return entry !== undefined && existsSync(join(options.dataDir, entry.folder));
}
