import { ASSIGNMENT_PATTERNS, record } from './held-assignments.js';
import { Bindings, fileKey, standBefore } from './held-bindings.js';
import { readScript, readShellCommand, type ShellCommand, type ShellWord } from './shell-words.js';

// Secrets held first and sent later in the same text: `F=~/.ssh/id_rsa; curl -d @$F …`,
// `KEY=$(cat ~/.ssh/id_rsa) && curl -d "$KEY" …`, `export T=$(cat ~/.aws/credentials)`, PowerShell
// `$k = Get-Content ~\.ssh\id_rsa`, `read -r K < key`, cmd `set /p K=<key`, and files written from secrets
// (`env > /tmp/e`, `cp ~/.ssh/id_rsa /tmp/k`, `certutil -encode key k.b64`, `tar czf k.tgz ~/.ssh`). One
// forward reading of the text records what each name holds (`heldSecretsOf`); a sink's words are then
// read with the names replaced by what they stand for (`resolve`), the way the shell expands them,
// so the sink rules judge `curl -d @~/.ssh/id_rsa` and `curl -d "$(cat ~/.ssh/id_rsa)"`. Only what is
// assigned before the sink in the same text counts; nothing is looked up outside it.

/** What the names of a text hold, assignment by assignment in text order. */
export interface HeldSecrets {
  /** True when no name of the text ever holds a secret. */
  readonly empty: boolean;
  /**
   * `words` with held names replaced by what they stand for, as of offset `before`; undefined when no
   * word changes.
   */
  resolve(words: readonly ShellWord[], before: number): ShellWord[] | undefined;
}

/** `$NAME`, `${NAME}` (shell and PowerShell), and cmd `%NAME%`. */
const NAME_REFERENCE = /\$\{?([A-Za-z_]\w{0,63})\}?|%([A-Za-z_]\w{0,63})%/g;
/** A line that can assign or write something: `=`, `>`, or a command that copies or reads into a name. */
export const HOLDING_COMMAND = /\b(?:cp|mv|copy|move|copy-item|certutil|tar|zip|openssl|read)\s/i;

/** Exported for the ReDoS test. */
export const HELD_SECRET_PATTERNS: readonly RegExp[] = [
  NAME_REFERENCE,
  HOLDING_COMMAND,
  ...ASSIGNMENT_PATTERNS,
];

/** `value` with held names and files replaced, or undefined when nothing is held there. */
function resolveValue(bindings: Bindings, value: string, before: number): string | undefined {
  let changed = false;
  let resolved = value;
  if (value.includes('$') || value.includes('%')) {
    resolved = value.replace(NAME_REFERENCE, (reference, shellName?: string, cmdName?: string) => {
      const name = shellName ?? cmdName ?? '';
      const stand =
        standBefore(bindings.names.get(name), before) ??
        (shellName === undefined
          ? undefined
          : standBefore(bindings.names.get(`$${name.toLowerCase()}`), before));
      if (stand === undefined) return reference;
      changed = true;
      return stand;
    });
  }
  // A file written from secrets, named whole or after `@`, `<`, `=` or `:` (`-d @f`, `-F x=<f`, `FILE:f`).
  let cut = -1;
  for (const marker of ['@', '<', '=', ':']) cut = Math.max(cut, resolved.lastIndexOf(marker));
  for (const at of cut === -1 ? [0] : [0, cut + 1]) {
    const stand = standBefore(bindings.files.get(fileKey(resolved.slice(at))), before);
    if (stand !== undefined && at < resolved.length) {
      return `${resolved.slice(0, at)}${stand}`;
    }
  }
  return changed ? resolved : undefined;
}

/** Where the command after `command` (read from `start`) starts, as the pipeline reader goes on. */
function nextStart(command: ShellCommand, start: number): number {
  return command.terminator === 'cut' || command.terminator === 'end'
    ? Math.max(command.end, start + 1)
    : command.end + command.terminator.length;
}

const BACKTICK = 96;

/** Records one command's bindings, its earlier names expanded first (`G=$F`, `cat $F > /tmp/k`). */
function recordCommand(bindings: Bindings, words: readonly ShellWord[]): void {
  record(bindings, resolveWith(bindings, words, words[0]?.start ?? 0) ?? words, words);
}

/** Reads `text` once, line by line; lines that cannot assign or write anything are skipped unread. */
function scan(text: string): Bindings {
  const bindings = new Bindings();
  let at = 0;
  while (at < text.length) {
    const lineBreak = text.indexOf('\n', at);
    const lineEnd = lineBreak === -1 ? text.length : lineBreak;
    const line = text.slice(at, lineEnd);
    if (!line.includes('=') && !line.includes('>') && !HOLDING_COMMAND.test(line)) {
      at = lineEnd + 1;
      continue;
    }
    // Commands of the line (and of the lines a quote or continuation carries it over); each read moves on.
    let position = at;
    while (position <= lineEnd && position < text.length) {
      const command = readShellCommand(text, position);
      // Earlier names are expanded first: `G=$F`, `cat $F > /tmp/k`.
      recordCommand(bindings, command.words);
      // Markdown inline code around commands (`` `F=~/.ssh/id_rsa; curl -d @$F …` ``) reads as one
      // backtick word: its commands are read too, after the command around it.
      for (const word of command.words) {
        if (text.charCodeAt(word.start) !== BACKTICK || !word.value.startsWith('`')) continue;
        const inner = word.value.slice(1, word.value.endsWith('`') ? -1 : undefined);
        for (const words of readScript(inner)) {
          recordCommand(
            bindings,
            words.map((innerWord) => ({
              ...innerWord,
              start: innerWord.start + word.start + 1,
              end: innerWord.end + word.start + 1,
            })),
          );
        }
      }
      position = nextStart(command, position);
    }
    at = Math.max(position, lineEnd + 1);
  }
  return bindings;
}

function resolveWith(
  bindings: Bindings,
  words: readonly ShellWord[],
  before: number,
): ShellWord[] | undefined {
  if (!bindings.secret) return undefined;
  let resolved: ShellWord[] | undefined;
  words.forEach((word, index) => {
    const value = resolveValue(bindings, word.value, before);
    if (value === undefined) return;
    resolved ??= [...words];
    resolved[index] = { ...word, value };
  });
  return resolved;
}

let lastText: string | undefined;
let lastHeld: HeldSecrets | undefined;

/** What the names of `text` hold (computed once per text, in one forward reading). */
export function heldSecretsOf(text: string): HeldSecrets {
  if (text === lastText && lastHeld !== undefined) return lastHeld;
  const bindings = scan(text);
  lastText = text;
  lastHeld = {
    empty: !bindings.secret,
    resolve: (words, before) => resolveWith(bindings, words, before),
  };
  return lastHeld;
}
