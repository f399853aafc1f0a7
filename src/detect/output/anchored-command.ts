import type { PipelineReader } from './pipeline-reader.js';
import { isSensitivePath, readsSecrets, scriptReadsSecrets } from './sensitive-sources.js';
import type { ShellWord } from './shell-words.js';

/** A command found at a rule's anchor: its words after the name, and the commands piped into it. */
export interface AnchoredCommand {
  /** The words after the command name. */
  after: ShellWord[];
  /** The whole command, words before the name included (redirections such as `< file nc …`). */
  command: ShellWord[];
  /** Commands before it in its pipeline (`cat key | base64 | nc …`). */
  before: ShellWord[][];
  /** The text the words were read from (their offsets point into it: here-documents are read there). */
  text: string;
}

/** A Windows program's `.exe` suffix, dropped before names are compared. */
export const EXE_SUFFIX = /\.exe$/i;

/**
 * The command at a rule's anchor. `after` ends at the next word naming a command of the same rule
 * (`curl … curl …`): that word is the rule's next match and is read there, so each word is looked at
 * once per rule and many anchors on one line cost linear work.
 */
export function commandAt(options: {
  reader: PipelineReader;
  text: string;
  start: number;
  names: ReadonlySet<string>;
}): AnchoredCommand {
  const { reader, text, start, names } = options;
  const pipeline = reader.at(text, start);
  const command = pipeline.commands[pipeline.current] ?? [];
  const at = command.findIndex((word) => word.start === start);
  const after: ShellWord[] = [];
  if (at !== -1) {
    for (const word of command.slice(at + 1)) {
      if (names.has(word.value.toLowerCase().replace(EXE_SUFFIX, ''))) break;
      after.push(word);
    }
  }
  return { after, command, before: pipeline.commands.slice(0, pipeline.current), text };
}

/** Files redirected into a command's input (`< ~/.aws/credentials`). */
export function redirectedInputs(words: readonly ShellWord[]): string[] {
  const inputs: string[] = [];
  words.forEach((word, index) => {
    const next = words[index + 1];
    if (word.value === '<' && next !== undefined) inputs.push(next.value);
  });
  return inputs;
}

/**
 * True when a redirected input holds secrets: a sensitive file (`< ~/.aws/credentials`), or a here-string
 * whose substitution reads them (`<<< "$(cat ~/.ssh/id_rsa)"`).
 */
export function isSecretInput(input: string): boolean {
  return (
    isSensitivePath(input) || ((input.includes('(') || input.includes('`')) && scriptReadsSecrets(input))
  );
}

/** True when what a command reads on standard input holds secrets: piped in or redirected from a file. */
export function inputHoldsSecrets(anchored: AnchoredCommand): boolean {
  return (
    redirectedInputs(anchored.command).some(isSecretInput) ||
    anchored.before.some((command) => readsSecrets(command))
  );
}
