import type { ShellWord } from './shell-words.js';

// Where a one-line program's text is on an interpreter's command line: the value of its code option
// (python(1) `-c`, node(1) `-e`/`--eval`/`-p`/`--print`, perlrun(1) `-e`/`-E`, ruby(1) `-e`, php(1) `-r`),
// past the options that take values; module options (`-MLWP::Simple`, `-rsocket`) are what it loads.

/** Interpreter names, lower-cased, without version suffixes or `.exe`. */
export const INTERPRETER_NAME = /^(?:python[23]?(?:\.\d{1,2})?|node(?:js)?|perl|ruby|php)$/;
export const INTERPRETER_NAMES: ReadonlySet<string> = new Set([
  'python',
  'python2',
  'python3',
  'node',
  'nodejs',
  'perl',
  'ruby',
  'php',
]);
export const VERSION_SUFFIX = /\.\d{1,2}$/;
const SHORT_FLAGS = /^-[A-Za-z]{1,6}$/;

/** Exported for the ReDoS test. */
export const INTERPRETER_PATTERNS: readonly RegExp[] = [INTERPRETER_NAME, VERSION_SUFFIX, SHORT_FLAGS];

/** The code option's letter per interpreter family (the first letters of the names). */
function codeLetters(name: string): readonly string[] {
  if (name.startsWith('python')) return ['c'];
  if (name.startsWith('node')) return ['e', 'p'];
  if (name === 'perl') return ['e', 'E'];
  if (name === 'ruby') return ['e'];
  return ['r'];
}

/** Options that take the next word as their value, per interpreter family (not the code options). */
const VALUE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  python: ['-W', '-X'],
  node: [
    '-r',
    '--require',
    '--import',
    '--input-type',
    '--loader',
    '--experimental-loader',
    '-C',
    '--conditions',
  ],
  perl: ['-I', '-M', '-m'],
  ruby: ['-I', '-r', '-E', '-C'],
  php: ['-d', '-c', '-z'],
};

/** The interpreter family of a name (`python3` → `python`, `nodejs` → `node`). */
function family(name: string): string {
  if (name.startsWith('python')) return 'python';
  if (name.startsWith('node')) return 'node';
  return name;
}

/**
 * The program of an interpreter command (its words, the name included): undefined when the command is
 * not an interpreter given its program on the command line.
 */
export function commandProgram(
  name: string,
  after: readonly ShellWord[],
): { code: string; modules: string[] } | undefined {
  if (!INTERPRETER_NAME.test(name)) return undefined;
  return interpreterProgram(name.replace(VERSION_SUFFIX, ''), after);
}

/** The program text and module options of an interpreter's words (after its name). */
export function interpreterProgram(
  name: string,
  after: readonly ShellWord[],
): { code: string; modules: string[] } | undefined {
  const letters = codeLetters(name);
  const valueOptions = VALUE_OPTIONS[family(name)] ?? [];
  const modules: string[] = [];
  for (let index = 0; index < after.length; index++) {
    const value = after[index]!.value;
    if (valueOptions.includes(value)) {
      // `perl -M IO::Socket`, `ruby -r socket`: the value names a module.
      if (value === '-M' || value === '-m' || value === '-r') modules.push(after[index + 1]?.value ?? '');
      index++;
      continue;
    }
    if (value === '--eval' || value === '--print') {
      const code = after[index + 1]?.value;
      return code === undefined ? undefined : { code, modules };
    }
    // `-MIO::Socket`, `-MLWP::Simple` (Perl), `-rsocket`, `-rnet/http` (Ruby): modules loaded.
    if ((name === 'perl' && value.startsWith('-M')) || (name === 'ruby' && value.startsWith('-r'))) {
      modules.push(value.slice(2));
      continue;
    }
    // Grouped flags ending in the code letter (`-le`, `-uc`); its value is the next word.
    if (SHORT_FLAGS.test(value) && letters.includes(value[value.length - 1]!)) {
      const code = after[index + 1]?.value;
      return code === undefined ? undefined : { code, modules };
    }
    // A script file or `-` ends the interpreter's own options: what it runs is not in the text.
    if (!value.startsWith('-') || value === '-') return undefined;
  }
  return undefined;
}
