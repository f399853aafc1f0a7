import type { Role } from '../spec/role.js';

/** One labelled text from a dataset. `label` 1 = attack (injection or jailbreak), 0 = benign. */
export interface DatasetRow {
  /** Name of the set the row came from, e.g. `tensor-trust`. */
  set: string;
  /** Stable id within the set (file and line or index). */
  id: string;
  text: string;
  label: 0 | 1;
  /** ISO 639-1 language code when the source states it. */
  language?: string;
  /** Finer source group inside a set (file, category), used for splits by source. */
  group?: string;
  /** Who wrote the text when it is not a user prompt (BIPIA contexts and WHOIS records are `document`). */
  role?: Role;
}

/** A row that could not be read; the rest of the set still loads. */
export interface RowError {
  set: string;
  file: string;
  /** 1-based line (JSONL, CSV) or 0-based element index (JSON arrays), when known. */
  line?: number;
  code: string;
  message: string;
}

/** The rows and per-row errors of one set. */
export interface LoadedSet {
  name: string;
  rows: DatasetRow[];
  errors: RowError[];
}
