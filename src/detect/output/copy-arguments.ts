import { isSensitivePath, secretFolderOf } from './sensitive-sources.js';
import type { ShellWord } from './shell-words.js';

// `scp` and `rsync` operands read by hand (scp(1), rsync(1) OPTIONS): which local files are copied to
// which remote destination, options and their values skipped.

const COPY_URL = /^(?:rsync|scp|sftp):\/\//i;

/** Exported for the ReDoS test. */
export const COPY_PATTERNS: readonly RegExp[] = [COPY_URL];

/** Options of scp(1) and rsync(1) that take the next word as their value. */
const COPY_VALUE_OPTIONS = new Set([
  '-c',
  '-F',
  '-i',
  '-J',
  '-l',
  '-o',
  '-P',
  '-S',
  '-e',
  '-f',
  '-B',
  '-T',
  '-M',
  '--exclude',
  '--include',
  '--rsh',
  '--filter',
  '--files-from',
  '--password-file',
  '--exclude-from',
  '--include-from',
  '--rsync-path',
  '--link-dest',
  '--compare-dest',
  '--copy-dest',
  '--backup-dir',
  '--chmod',
  '--chown',
  '--log-file',
  '--temp-dir',
  '--partial-dir',
  '--out-format',
  '--port',
  '--timeout',
]);

/** Short scp options that take a value when they end a group (`-rP 2222`). */
const COPY_SHORT_VALUES = new Set('cFiJloPSe'.split(''));

/** A remote operand: `host:path`, `user@host:path`, `host::module`, `rsync://…`, `scp://…` (not `C:\…`). */
export function remotePath(operand: string): string | undefined {
  if (COPY_URL.test(operand)) return operand.slice(operand.indexOf('//') + 2);
  const colon = operand.indexOf(':');
  if (colon <= 1 || operand.slice(0, colon).includes('/')) return undefined;
  return operand.slice(colon + 1);
}

/** `.env`, `.env.production`: an application's settings file. */
export function isEnvironmentFile(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  return name === '.env' || name.startsWith('.env.');
}

/**
 * Score for `scp`/`rsync` operands: a local sensitive source copied to a remote destination. Copying
 * keys into the same kind of folder on the other side (`rsync -a ~/.ssh/ newlaptop:~/.ssh/`) is how
 * people move to a new machine, and copying an app's `.env` to its server is how many deploy: both kept
 * below the balanced threshold.
 */
export function copyScore(after: readonly ShellWord[]): number | undefined {
  const operands: string[] = [];
  for (let index = 0; index < after.length; index++) {
    const value = after[index]!.value;
    if (value === '<' || value === '>') {
      index++;
      continue;
    }
    if (value.startsWith('-') && value.length > 1) {
      const grouped = !value.startsWith('--') && COPY_SHORT_VALUES.has(value[value.length - 1]!);
      if (COPY_VALUE_OPTIONS.has(value) || (grouped && value.length > 2)) index++;
      continue;
    }
    operands.push(value);
  }
  if (operands.length < 2) return undefined;
  const destination = remotePath(operands[operands.length - 1]!);
  if (destination === undefined) return undefined;
  let score: number | undefined;
  for (const source of operands.slice(0, -1)) {
    if (remotePath(source) !== undefined || !isSensitivePath(source)) continue;
    const folder = secretFolderOf(source);
    const sameFolder = folder !== undefined && destination.toLowerCase().includes(folder.slice(1));
    score = Math.max(score ?? 0, sameFolder || isEnvironmentFile(source) ? 0.4 : 0.8);
  }
  return score;
}
