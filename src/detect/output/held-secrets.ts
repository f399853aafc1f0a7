import { commandName, isSensitivePath, readsSecrets, scriptReadsSecrets } from './sensitive-sources.js';
import { readScript, readShellCommand, type ShellCommand, type ShellWord } from './shell-words.js';

// Secrets held first and sent later in the same text: `F=~/.ssh/id_rsa; curl -d @$F …`,
// `KEY=$(cat ~/.ssh/id_rsa) && curl -d "$KEY" …`, `export T=$(cat ~/.aws/credentials)`, PowerShell
// `$k = Get-Content ~\.ssh\id_rsa`, `read -r K < key`, cmd `set /p K=<key`, and files written from secrets
// (`env > /tmp/e`, `cp ~/.ssh/id_rsa /tmp/k`, `certutil -encode key k.b64`, `tar czf k.tgz ~/.ssh`). One
// forward reading of the text records what each name holds (`heldSecretsOf`); a sink's words are then
// read with the names replaced by what they stand for (`resolveWords`), the way the shell expands them,
// so the sink rules judge `curl -d @~/.ssh/id_rsa` and `curl -d "$(cat ~/.ssh/id_rsa)"`. Only what is
// assigned before the sink in the same text counts; nothing is looked up outside it.

/** What a name holds from one assignment or write. */
interface Binding {
  /** Offset of the assignment or write: it counts for commands after it. */
  offset: number;
  /** The text the name stands for where it is used; undefined when it holds nothing secret. */
  stand: string | undefined;
}

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

/** A stand-in for a file written from secrets that name no file (an environment dump): itself sensitive. */
const ENVIRONMENT_FILE = '/proc/self/environ';

/** `$NAME`, `${NAME}` (shell and PowerShell), and cmd `%NAME%`. */
const NAME_REFERENCE = /\$\{?([A-Za-z_]\w{0,63})\}?|%([A-Za-z_]\w{0,63})%/g;
const IDENTIFIER = /^[A-Za-z_]\w{0,63}$/;
/** A line that can assign or write something: `=`, `>`, or a command that copies or reads into a name. */
export const HOLDING_COMMAND = /\b(?:cp|mv|copy|move|copy-item|certutil|tar|zip|openssl|read)\s/i;

/** A Windows tool's switch (`/Y`, `/B`, `/f`), not a path. */
const WINDOWS_SWITCH = /^\/[A-Za-z?]{1,3}$/;

/** Exported for the ReDoS test. */
export const HELD_SECRET_PATTERNS: readonly RegExp[] = [
  NAME_REFERENCE,
  IDENTIFIER,
  HOLDING_COMMAND,
  WINDOWS_SWITCH,
];

/** Prefixes that declare or export assignments (`export T=…`), their options skipped. */
const DECLARERS = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'set']);
/** `read` options that take a value. */
const READ_VALUE_OPTIONS = new Set(['-p', '-d', '-n', '-N', '-t', '-u', '-a']);

/** The key of a file name: `./k` and `k` are one file, Windows names ignore case. */
function fileKey(path: string): string {
  return (path.startsWith('./') || path.startsWith('.\\') ? path.slice(2) : path).toLowerCase();
}

/** What an assigned value stands for: a sensitive path, or a substitution that reads secrets. */
function standFor(value: string): string | undefined {
  if (isSensitivePath(value)) return value;
  if ((value.includes('(') || value.includes('`')) && scriptReadsSecrets(value)) return value;
  return undefined;
}

/** The words without redirections and their targets. */
function withoutRedirections(words: readonly ShellWord[]): ShellWord[] {
  const kept: ShellWord[] = [];
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!.value;
    if (value === '<' || value === '>') index++;
    else kept.push(words[index]!);
  }
  return kept;
}

/** The words that are not options (`-x`, `--x`, and `/x` for Windows tools). */
function operands(words: readonly ShellWord[], windows: boolean): ShellWord[] {
  return words.filter(
    (word) => !(word.value.startsWith('-') || (windows && WINDOWS_SWITCH.test(word.value))),
  );
}

/** What the first sensitive word of `words` is, or the environment stand-in when secrets come from elsewhere. */
function sourceStand(words: readonly ShellWord[]): string {
  return words.find((word) => isSensitivePath(word.value))?.value ?? ENVIRONMENT_FILE;
}

/** Records into `held`: assignments, `read`/`set /p` from secret files, and files written from secrets. */
function record(held: Bindings, words: readonly ShellWord[], original: readonly ShellWord[]): void {
  if (words.length === 0) return;
  const first = words[0]!;
  // PowerShell: `$k = Get-Content key`, `$k=Get-Content key`.
  if (first.value.startsWith('$')) {
    const equals = first.value.indexOf('=');
    const name = first.value.slice(1, equals === -1 ? undefined : equals);
    if (IDENTIFIER.test(name)) {
      let rest: ShellWord[] | undefined;
      if (equals === -1 && words[1]?.value === '=') rest = words.slice(2);
      else if (equals !== -1) {
        const tail = first.value.slice(equals + 1);
        rest = [...(tail.length > 0 ? [{ ...first, value: tail }] : []), ...words.slice(1)];
      }
      if (rest !== undefined) {
        const single = rest.length === 1 ? rest[0]!.value : undefined;
        const stand =
          single !== undefined && isSensitivePath(single)
            ? single
            : readsSecrets(rest)
              ? `(${rest.map((word) => word.value).join(' ')})`
              : undefined;
        held.bind(`$${name.toLowerCase()}`, { offset: first.start, stand });
        return;
      }
    }
  }
  const command = commandName(words);
  const inputs: string[] = [];
  words.forEach((word, index) => {
    if (word.value === '<' && words[index + 1] !== undefined) inputs.push(words[index + 1]!.value);
  });
  const secretInput = inputs.find(isSensitivePath);
  // Assignments before the command, or after `export`/`declare`/`local`/`set`.
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const value = word.value;
    if (index === command?.at && !DECLARERS.has(command.name)) break;
    if (value.startsWith('-') || value.startsWith('/') || DECLARERS.has(value)) continue;
    const equals = value.indexOf('=');
    if (equals <= 0 || !IDENTIFIER.test(value.slice(0, equals))) {
      if (index >= (command?.at ?? 0)) break;
      continue;
    }
    const assigned = value.slice(equals + 1);
    // cmd `set /p K=<key`: the value is read from the redirected file.
    const fromInput = assigned === '' && command?.name === 'set' && secretInput !== undefined;
    held.bind(value.slice(0, equals), {
      offset: word.start,
      stand: fromInput ? `$(cat ${secretInput})` : standFor(assigned),
    });
  }
  if (command === undefined) return;
  const after = words.slice(command.at + 1);
  // `read -r K < ~/.ssh/id_rsa`.
  if (command.name === 'read') {
    for (let index = 0; index < after.length; index++) {
      const value = after[index]!.value;
      if (value === '<' || value === '>' || READ_VALUE_OPTIONS.has(value)) index++;
      else if (IDENTIFIER.test(value)) {
        held.bind(value, { offset: after[index]!.start, stand: secretInput && `$(cat ${secretInput})` });
      }
    }
    return;
  }
  recordWrites(held, { words, after, name: command.name, original });
}

/** Files written by a command: redirections, copies, encodings and archives of secrets. */
function recordWrites(
  held: Bindings,
  command: { words: readonly ShellWord[]; after: ShellWord[]; name: string; original: readonly ShellWord[] },
): void {
  const { words, after, name, original } = command;
  // Files are named as written, before expansion: `echo hi > /tmp/e` overwrites `/tmp/e` even when it
  // held secrets (resolving keeps every word in place, so the original sits at the same index).
  const named = (word: ShellWord): string =>
    original.find((candidate) => candidate.start === word.start)?.value ?? word.value;
  const plain = withoutRedirections(words);
  const reads = readsSecrets(plain);
  words.forEach((word, index) => {
    const target = words[index + 1];
    if (word.value === '>' && target !== undefined) {
      held.bindFile(named(target), { offset: target.start, stand: reads ? sourceStand(plain) : undefined });
    }
  });
  const args = withoutRedirections(after);
  let written: ShellWord | undefined;
  let sources: string[] = [];
  if (name === 'cp' || name === 'mv' || name === 'copy' || name === 'move' || name === 'copy-item') {
    const values = operands(args, name !== 'cp' && name !== 'mv');
    written = values[values.length - 1];
    sources = values.slice(0, -1).map((word) => word.value);
  } else if (name === 'certutil') {
    // certutil -encode|-encodehex|-decode SRC DST.
    if (args.some((word) => word.value.toLowerCase().startsWith('-encode'))) {
      const values = operands(args, true);
      written = values[1];
      sources = values.slice(0, 1).map((word) => word.value);
    }
  } else if (name === 'tar') {
    // The value of the `f` option (`tar czf out.tgz ~/.ssh`, `tar -cz -f out.tgz …`).
    const groups = args.slice(0, 3).filter((word) => !word.value.startsWith('--'));
    const at = args.findIndex((word) => groups.includes(word) && word.value.includes('f'));
    // Only archives being created (`c`): `tar xzf keys.tgz -C ~/.ssh` restores keys.
    const creates =
      groups.some((word) => word.value.includes('c')) || args.some((word) => word.value === '--create');
    written = at === -1 || !creates ? undefined : args[at + 1];
    sources = reads ? [sourceStand(args)] : [];
  } else if (name === 'zip' || name === '7z') {
    const values = operands(args, false).filter((word) => word.value !== 'a');
    written = values[0];
    sources = reads ? [sourceStand(args)] : [];
  } else if (name === 'openssl') {
    const input = args.findIndex((word) => word.value === '-in');
    const output = args.findIndex((word) => word.value === '-out');
    written = output === -1 ? undefined : args[output + 1];
    sources = input === -1 ? [] : [args[input + 1]?.value ?? ''];
  }
  if (written === undefined) return;
  const source = sources.find(isSensitivePath);
  held.bindFile(named(written), { offset: written.start, stand: source });
}

/** The bindings of names and files, kept in text order. */
class Bindings {
  readonly names = new Map<string, Binding[]>();
  readonly files = new Map<string, Binding[]>();
  secret = false;

  bind(name: string, binding: Binding): void {
    Bindings.add(this.names, name, binding);
    if (binding.stand !== undefined) this.secret = true;
  }

  bindFile(path: string, binding: Binding): void {
    // A file that is itself sensitive (`env > .env`) is judged by the sink rules as it is named.
    if (binding.stand !== undefined && isSensitivePath(path)) return;
    Bindings.add(this.files, fileKey(path), binding);
    if (binding.stand !== undefined) this.secret = true;
  }

  private static add(map: Map<string, Binding[]>, key: string, binding: Binding): void {
    const list = map.get(key);
    if (list === undefined) map.set(key, [binding]);
    else list.push(binding);
  }
}

/** What the last binding before `before` stands for (bindings are in increasing offsets). */
function standBefore(list: readonly Binding[] | undefined, before: number): string | undefined {
  if (list === undefined) return undefined;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.offset < before) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : list[low - 1]!.stand;
}

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
