import { lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AegisError, ERROR_CODES, isAegisError } from '../spec/errors.js';
import { openFileSource } from './byte-source.js';
import { makeFinding } from './finding.js';
import { DEFAULT_LIMITS, type ScanLimits } from './limits.js';
import { scanSource } from './model/scan-source.js';
import { RULES } from './rules.js';
import type { FileReport, ScanEvent, ScanReport } from './types.js';
import { verdictOf } from './verdict.js';

/** Options of `scanPaths` and `scanFile`. */
export interface ScanOptions {
  /** Overrides of `DEFAULT_LIMITS`. */
  limits?: Partial<ScanLimits>;
  /** Unknown formats become suspicious (and the CLI fails on suspicious files). */
  strict?: boolean;
  /** Progress callback: one event before and one after each file. */
  onEvent?: (event: ScanEvent) => void;
}

/** Scans one file from disk and never throws: failures become an `error` verdict. */
export function scanFile(path: string, options: ScanOptions = {}): FileReport {
  const limits: ScanLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let source: ReturnType<typeof openFileSource> | undefined;
  try {
    source = openFileSource(path);
    const result = scanSource(source, {
      location: path,
      limits,
      depth: 0,
      budget: { inflatedBytes: limits.maxArchiveBytes },
      directory: dirname(path),
    });
    const findings = [...result.findings];
    if (result.format === 'unknown') {
      findings.push(
        makeFinding({
          rule: RULES.formatUnknown,
          message: options.strict
            ? 'format not recognised (strict mode treats this as suspicious)'
            : 'format not recognised; nothing was checked',
          location: path,
          severity: options.strict ? 'low' : 'info',
        }),
      );
    }
    return { path, format: result.format, verdict: verdictOf(findings), findings, size: source.size };
  } catch (error) {
    const message = isAegisError(error)
      ? error.message
      : `scanner failed: ${error instanceof Error ? error.message : String(error)}`;
    return {
      path,
      format: 'unknown',
      verdict: 'error',
      findings: [],
      size: source?.size ?? 0,
      error: message,
    };
  } finally {
    source?.close();
  }
}

function collectFiles(path: string, files: string[], maxFiles: number): void {
  let info: ReturnType<typeof lstatSync>;
  try {
    info = lstatSync(path);
  } catch (error) {
    throw new AegisError(ERROR_CODES.NOT_FOUND, `no such file or directory: ${path}`, { cause: error });
  }
  if (files.length >= maxFiles)
    throw new AegisError(ERROR_CODES.SCAN_LIMIT_EXCEEDED, `more than ${maxFiles} files to scan`);
  if (info.isSymbolicLink()) {
    // Links to files are scanned through; links to folders are not followed (no loops).
    let target: ReturnType<typeof statSync> | undefined;
    try {
      target = statSync(path);
    } catch {
      target = undefined;
    }
    if (target?.isDirectory()) return;
    files.push(path);
    return;
  }
  if (info.isDirectory()) {
    for (const name of readdirSync(path).sort()) collectFiles(join(path, name), files, maxFiles);
    return;
  }
  if (info.isFile()) files.push(path);
}

/**
 * Scans files and folders (recursively) and returns the report. The format of each file is found from
 * its content. Emits `file-start` / `file-done` events for progress.
 */
export async function scanPaths(paths: readonly string[], options: ScanOptions = {}): Promise<ScanReport> {
  const started = Date.now();
  const maxFiles = options.limits?.maxFiles ?? DEFAULT_LIMITS.maxFiles;
  const files: string[] = [];
  for (const path of paths) collectFiles(path, files, maxFiles);
  const reports: FileReport[] = [];
  for (const [index, path] of files.entries()) {
    options.onEvent?.({ type: 'file-start', path, index, total: files.length });
    const report = scanFile(path, options);
    reports.push(report);
    options.onEvent?.({ type: 'file-done', path, index, total: files.length, report });
    // Let timers and signals run between files of a long scan.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const count = (verdict: FileReport['verdict']): number =>
    reports.filter((report) => report.verdict === verdict).length;
  return {
    files: reports,
    summary: {
      files: reports.length,
      clean: count('clean'),
      suspicious: count('suspicious'),
      malicious: count('malicious'),
      error: count('error'),
      bytes: reports.reduce((total, report) => total + report.size, 0),
      durationMs: Date.now() - started,
    },
  };
}
