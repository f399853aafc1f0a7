import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { decodeModel, type StoredModel } from './model-file.js';

/** Path of the shipped injection model (`models/injection-v1.bin` at the package root). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../models/injection-v1.bin', import.meta.url));

/** Reads and validates a model file. Throws `AEGIS_MODEL_UNREADABLE` or `AEGIS_MODEL_INVALID`. */
export function loadModel(path: string = DEFAULT_MODEL_PATH): StoredModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AegisError(ERROR_CODES.MODEL_UNREADABLE, `cannot read model file ${path}`, {
      details: { path },
      cause: error,
    });
  }
  return decodeModel(bytes);
}

const cache = new Map<string, StoredModel>();

/**
 * The shipped model, loaded once per process, or `undefined` when the weights file is absent (a build
 * without models). A present but corrupt file still throws.
 */
export function loadDefaultModel(): StoredModel | undefined {
  const cached = cache.get(DEFAULT_MODEL_PATH);
  if (cached) return cached;
  if (!existsSync(DEFAULT_MODEL_PATH)) return undefined;
  const stored = loadModel(DEFAULT_MODEL_PATH);
  cache.set(DEFAULT_MODEL_PATH, stored);
  return stored;
}
