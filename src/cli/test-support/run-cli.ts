import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../main.js';

/** What a CLI run returned: its exit status and everything it wrote. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

const ENTRY = fileURLToPath(new URL('../run.ts', import.meta.url));

/**
 * Runs `aegis <args>` in this process, capturing stdout and stderr. Fast: the tests use it for every case
 * except the few that need a real process (exit codes, files, environment).
 */
export async function runCliInProcess(args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { status: await main([...args]), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Runs `aegis <args>` as a child process from source (slow: it loads the whole CLI). */
export function runCliSpawned(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
