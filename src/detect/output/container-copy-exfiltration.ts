import { type AnchoredCommand, commandAt, EXE_SUFFIX } from './anchored-command.js';
import type { PayloadRule } from './payload-rule.js';
import { createPipelineReader } from './pipeline-reader.js';
import { commandName, isSensitivePath, readsSecrets, secretFolderOf } from './sensitive-sources.js';

// Credential files of the host copied into a container or pod: `docker cp ~/.aws/credentials c:/tmp/`,
// `kubectl cp ~/.kube/config ns/pod:/tmp/kc`, `podman cp`, `oc cp`, and `tar cf - ~/.ssh | docker cp - c:/`.
// Only credential files count (docker-cp(1), kubectl cp: `SRC DEST`, a container path written
// `NAME:PATH`). Copies out of a container, ordinary files in, and credentials put into the same kind of
// folder in the container (`docker cp ~/.aws/credentials dev:/root/.aws/credentials`, how a development
// container is given access) are kept below the balanced threshold or left alone.

const CONTAINER_NAMES = new Set(['docker', 'kubectl', 'podman', 'oc', 'nerdctl']);

/** Options that take the next word as their value, before or after `cp`. */
const VALUE_OPTIONS = new Set([
  '-c',
  '--container',
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '--retries',
  '-H',
  '--host',
  '--config',
  '--log-level',
]);

/** The path inside a container of `NAME:PATH` or `NS/POD:PATH`; undefined for a local path. */
function containerPath(operand: string): string | undefined {
  const colon = operand.indexOf(':');
  // `C:\…` and paths that start like local ones (`./a:b`, `/x:y`, `~/x:y`) are local.
  if (colon <= 1 || operand.startsWith('/') || operand.startsWith('.') || operand.startsWith('~')) {
    return undefined;
  }
  return operand.slice(colon + 1);
}

/** The score of a container copy (`name` lower-cased, without `.exe`). */
export function containerCopyScore(_name: string, anchored: AnchoredCommand): number | undefined {
  const operands: string[] = [];
  const words = anchored.after.map((word) => word.value);
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!;
    if (value === '<' || value === '>' || VALUE_OPTIONS.has(value)) {
      index++;
      continue;
    }
    if (value.startsWith('-') && value.length > 1) continue;
    operands.push(value);
  }
  if (operands[0] !== 'cp' || operands.length !== 3) return undefined;
  const [, source, destination] = operands as [string, string, string];
  const inside = containerPath(destination);
  if (inside === undefined || containerPath(source) !== undefined) return undefined;
  if (source === '-') return anchored.before.some((command) => readsSecrets(command)) ? 0.8 : undefined;
  if (!isSensitivePath(source)) return undefined;
  const folder = secretFolderOf(source);
  return folder !== undefined && inside.toLowerCase().includes(folder.slice(1)) ? 0.4 : 0.8;
}

const reader = createPipelineReader();

/** Credential files copied into a container or pod. */
export const CONTAINER_COPY_EXFILTRATION_RULE: PayloadRule = {
  id: 'output.shell-exfil-container-copy',
  type: 'SHELL_EXFILTRATION',
  pattern: /\b(?:docker|kubectl|podman|oc|nerdctl)(?:\.exe)?\s/,
  score: 0.8,
  // Every copy read here holds `cp `, whose first letters are rare in prose (`doc`, `ner`, `pod` open
  // many words, and the one hint pass stops at every position a hint's first three letters open).
  hints: ['cp '],
  textFilter: (text) => text.includes(' cp ') && text.includes(':'),
  confirm: ({ text, start }) => {
    const anchored = commandAt({ reader, text, start, names: CONTAINER_NAMES });
    const command = commandName(anchored.command);
    if (command === undefined || anchored.command[command.at]?.start !== start) return undefined;
    return containerCopyScore(command.name.replace(EXE_SUFFIX, ''), anchored);
  },
};
