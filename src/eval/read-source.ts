import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { RowError } from './dataset-row.js';

/** Largest dataset file read (files are read whole). */
export const MAX_DATASET_FILE_BYTES = 256 * 1024 * 1024;

/** Reads a UTF-8 text file, reporting invalid UTF-8 and unreadable files as `AegisError`s. */
export function readTextFile(path: string): string {
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
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AegisError(ERROR_CODES.INVALID_UTF8, `dataset file ${path} is not valid UTF-8`, {
      details: { path },
    });
  }
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

/** One parsed JSONL line, or the error for that line. */
export type JsonLine = { line: number; value: unknown } | { line: number; error: string };

/** Parses a JSONL file line by line; invalid lines become per-line errors, blank lines are skipped. */
export function readJsonLines(path: string): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = readTextFile(path).split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line.length === 0) continue;
    try {
      out.push({ line: index + 1, value: JSON.parse(line) });
    } catch (error) {
      out.push({ line: index + 1, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

/** Builds a per-row error record. */
export function rowError(options: { set: string; path: string; line?: number; message: string }): RowError {
  return {
    set: options.set,
    file: basename(options.path),
    ...(options.line === undefined ? {} : { line: options.line }),
    code: ERROR_CODES.INPUT_LINE_INVALID,
    message: options.message,
  };
}

/** A non-empty string field of a record, or `undefined`. */
export function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field.trim().length > 0 ? field : undefined;
}
