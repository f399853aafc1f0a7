import { createRequire } from 'node:module';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

type CheckSync = typeof import('recheck').checkSync;
let checkSync: CheckSync | undefined;

/** Loads recheck on first use: most policies have no patterns, and loading it costs start-up time. */
function loadChecker(path: string): CheckSync {
  if (checkSync !== undefined) return checkSync;
  try {
    checkSync = (createRequire(import.meta.url)('recheck') as typeof import('recheck')).checkSync;
    return checkSync;
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.POLICY_INVALID,
      `policy invalid at ${path}: allowlist patterns need the recheck package to prove them safe (npm install recheck)`,
      { cause: error, details: { path } },
    );
  }
}

// Proving a pattern safe takes ~0.2 s; remember the verdict so a policy validated once is not re-checked
// every time a guard is built from it.
const provenSafe = new Map<string, RegExp>();
const MAX_CACHED_PATTERNS = 10_000;

/**
 * Compiles an allowlist pattern anchored to the whole value, after proving with recheck that it cannot
 * backtrack catastrophically. Patterns come from policy files, which may be written by anyone with
 * write access to a config folder, so an unsafe or undecidable pattern is rejected, never run.
 */
export function compileAllowPattern(pattern: string, path: string): RegExp {
  const anchored = `^(?:${pattern})$`;
  const known = provenSafe.get(anchored);
  if (known !== undefined) return known;
  let regex: RegExp;
  try {
    regex = new RegExp(anchored, 'u');
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.POLICY_INVALID,
      `policy invalid at ${path}: not a valid regular expression`,
      {
        cause: error,
        details: { path },
      },
    );
  }
  const result = loadChecker(path)(anchored, 'u', { timeout: 10_000 });
  if (result.status !== 'safe') {
    const why =
      result.status === 'vulnerable'
        ? `can backtrack catastrophically (${result.complexity.summary})`
        : 'could not be proven safe from catastrophic backtracking';
    throw new AegisError(ERROR_CODES.POLICY_INVALID, `policy invalid at ${path}: pattern ${why}`, {
      details: { path, status: result.status },
    });
  }
  if (provenSafe.size < MAX_CACHED_PATTERNS) provenSafe.set(anchored, regex);
  return regex;
}
