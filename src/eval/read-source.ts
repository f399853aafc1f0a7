import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { RowError } from './dataset-row.js';

/** Largest dataset file read (files are read whole). */
export const MAX_DATASET_FILE_BYTES = 256 * 1024 * 1024;

/** Reads a UTF-8 text file, reporting invalid UTF-8 and unreadable files as `AegisError`s. */
export function readTextFile(path: string): string {
  const bytes = readFileBytes(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AegisError(ERROR_CODES.INVALID_UTF8, `dataset file ${path} is not valid UTF-8`, {
      details: { path },
    });
  }
}

function readFileBytes(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AegisError(ERROR_CODES.INPUT_UNREADABLE, `cannot read dataset file ${path}`, {
      details: { path },
      cause: error,
    });
  }
  if (bytes.length > MAX_DATASET_FILE_BYTES) {
    throw new AegisError(ERROR_CODES.INPUT_TOO_LARGE, `dataset file ${path} is larger than 256 MB`);
  }
  return bytes;
}

/** Parses a whole JSON file; a syntax error is `AEGIS_DATASET_INVALID` naming the file. */
export function readJsonFile(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.DATASET_INVALID,
      `dataset file ${basename(path)} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      { details: { path } },
    );
  }
}

/** One parsed JSONL line, or the error for that line (`code` when it is not `AEGIS_INPUT_LINE_INVALID`). */
export type JsonLine = { line: number; value: unknown } | { line: number; error: string; code?: string };

/**
 * The lines of a JSONL file. A line that is not valid UTF-8 is `undefined`, so it becomes an error of its own
 * instead of failing the whole file.
 */
function readLines(path: string): (string | undefined)[] {
  const bytes = readFileBytes(path);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes).split('\n');
  } catch {
    // Decoded again line by line only when the file as a whole is invalid (LF never occurs inside a
    // multi-byte UTF-8 sequence, so splitting the bytes first is safe).
    const lines: (string | undefined)[] = [];
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(10, start);
      const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
      try {
        lines.push(decoder.decode(slice));
      } catch {
        lines.push(undefined);
      }
      if (end === -1) return lines;
      start = end + 1;
    }
  }
}

/** Parses a JSONL file line by line; invalid lines become per-line errors, blank lines are skipped. */
export function readJsonLines(path: string): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = readLines(path);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    if (raw === undefined) {
      out.push({ line: index + 1, error: 'line is not valid UTF-8', code: ERROR_CODES.INVALID_UTF8 });
      continue;
    }
    const line = raw.trim();
    if (line.length === 0) continue;
    try {
      out.push({ line: index + 1, value: JSON.parse(line) });
    } catch (error) {
      out.push({ line: index + 1, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

/** Builds a per-row error record (code `AEGIS_INPUT_LINE_INVALID` unless given). */
export function rowError(options: {
  set: string;
  path: string;
  line?: number;
  message: string;
  code?: string;
}): RowError {
  return {
    set: options.set,
    file: basename(options.path),
    ...(options.line === undefined ? {} : { line: options.line }),
    code: options.code ?? ERROR_CODES.INPUT_LINE_INVALID,
    message: options.message,
  };
}

/** The row error of a JSONL line that could not be read or parsed. */
export function lineError(options: {
  set: string;
  path: string;
  entry: { line: number; error: string; code?: string };
}): RowError {
  const { set, path, entry } = options;
  return rowError({
    set,
    path,
    line: entry.line,
    message: entry.error,
    ...(entry.code === undefined ? {} : { code: entry.code }),
  });
}

/** A non-empty string field of a record, or `undefined`. */
export function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field.trim().length > 0 ? field : undefined;
}
