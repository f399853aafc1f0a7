import type { Bindings } from './held-bindings.js';
import {
  commandName,
  isSensitivePath,
  readsSecrets,
  scriptReadsSecrets,
  withoutRedirections,
} from './sensitive-sources.js';
import type { ShellWord } from './shell-words.js';

// What one command makes a name or a file hold (see held-secrets.ts): shell and PowerShell assignments,
// `read`/`set /p` from secret files, and files written from secrets by redirections, copies, encodings
// and archives.

/** A stand-in for a file written from secrets that name no file (an environment dump): itself sensitive. */
const ENVIRONMENT_FILE = '/proc/self/environ';

/** A shell or PowerShell variable name. */
export const IDENTIFIER = /^[A-Za-z_]\w{0,63}$/;

/** A Windows tool's switch (`/Y`, `/B`, `/f`), not a path. */
const WINDOWS_SWITCH = /^\/[A-Za-z?]{1,3}$/;

/** Exported for the ReDoS test. */
export const ASSIGNMENT_PATTERNS: readonly RegExp[] = [IDENTIFIER, WINDOWS_SWITCH];

/** Prefixes that declare or export assignments (`export T=…`), their options skipped. */
const DECLARERS = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'set']);
/** `read` options that take a value. */
const READ_VALUE_OPTIONS = new Set(['-p', '-d', '-n', '-N', '-t', '-u', '-a']);

/** What an assigned value stands for: a sensitive path, or a substitution that reads secrets. */
function standFor(value: string): string | undefined {
  if (isSensitivePath(value)) return value;
  if ((value.includes('(') || value.includes('`')) && scriptReadsSecrets(value)) return value;
  return undefined;
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
export function record(held: Bindings, words: readonly ShellWord[], original: readonly ShellWord[]): void {
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
