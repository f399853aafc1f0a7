import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/**
 * Paths every OpenSSF model-signing implementation excludes, matched as top-level components of the
 * model root (model-signing spec v1.0 §6.2 / §6.2.1).
 */
export const DEFAULT_IGNORED_PATHS: readonly string[] = ['.git', '.gitignore', '.gitattributes', '.github'];

/** One regular file of a model, with its canonical name (`/`-separated, relative to the root). */
export interface ModelFile {
  name: string;
  path: string;
  size: number;
}

/** Options for `listModelFiles`. */
export interface ListModelFilesOptions {
  /** The model directory, or a single model file. */
  modelPath: string;
  /** Extra paths to exclude, relative to the model root (exact path or directory prefix). */
  ignorePaths?: readonly string[];
  /** Follow symbolic links (hash their targets) instead of rejecting them. */
  allowSymlinks?: boolean;
}

/** What `listModelFiles` found: the files, and the root and name used for the statement subject. */
export interface ModelFileList {
  root: string;
  modelName: string;
  singleFile: boolean;
  files: ModelFile[];
}

function isIgnored(name: string, ignored: readonly string[]): boolean {
  for (const entry of ignored) {
    if (name === entry || name.startsWith(`${entry}/`)) return true;
  }
  return false;
}

/** Normalises a user-supplied ignore path to the canonical relative form of spec §6.1.2. */
export function canonicalIgnorePath(root: string, entry: string): string {
  const relativeEntry = entry.startsWith('/') || entry.includes(sep) ? relative(root, entry) : entry;
  return relativeEntry
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/**
 * Enumerates the regular files of a model, sorted by canonical name (byte order), applying the default
 * and user exclusions and the symlink policy (spec §6.1).
 */
export async function listModelFiles(options: ListModelFilesOptions): Promise<ModelFileList> {
  const info = await stat(options.modelPath).catch((cause: unknown) => {
    throw new AegisError(ERROR_CODES.NOT_FOUND, `model path not found: ${options.modelPath}`, { cause });
  });
  if (info.isFile()) {
    const name = basename(options.modelPath);
    return {
      root: options.modelPath,
      modelName: name,
      singleFile: true,
      files: [{ name, path: options.modelPath, size: info.size }],
    };
  }
  const root = options.modelPath;
  const ignored = [...(options.ignorePaths ?? []).map((entry) => canonicalIgnorePath(root, entry))];
  const files: ModelFile[] = [];
  const rootReal = await realpath(root);
  const visit = async (directory: string, depth: number): Promise<void> => {
    if (depth > 64) throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `model tree too deep at ${directory}`);
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(directory, entry.name);
      const name = relative(root, path).split(sep).join('/');
      if (depth === 0 && DEFAULT_IGNORED_PATHS.includes(entry.name)) continue;
      if (isIgnored(name, ignored)) continue;
      if (entry.isSymbolicLink()) {
        if (!options.allowSymlinks) {
          throw new AegisError(
            ERROR_CODES.INVALID_ARGUMENT,
            `symbolic link in model: ${name} (pass allowSymlinks to follow links)`,
          );
        }
        const target = await stat(path);
        const targetReal = await realpath(path);
        if (target.isDirectory()) {
          if (rootReal.startsWith(targetReal)) continue; // a cycle back to an ancestor: skip it
          await visit(path, depth + 1);
        } else if (target.isFile()) files.push({ name, path, size: target.size });
        continue;
      }
      if (entry.isDirectory()) await visit(path, depth + 1);
      else if (entry.isFile()) files.push({ name, path, size: (await lstat(path)).size });
    }
  };
  await visit(root, 0);
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { root, modelName: basename(root.replace(/[\\/]+$/, '')), singleFile: false, files };
}
