import { codeFacts } from './interpreter-code.js';
import { commandProgram } from './interpreter-program.js';
import { readScript, type ShellWord, substitutions } from './shell-words.js';

// What an exfiltration command sends: files that hold credentials or private keys, whole environment
// dumps, and the few commands that print secrets. Chosen so that an ordinary answer never names them as
// data to send: public keys (`id_rsa.pub`), `.env.example` and the like are excluded.

/** Folders whose every file is a secret (private keys, cloud credentials, browser profiles). */
const SECRET_FOLDERS = [
  '/.ssh',
  '/.aws',
  '/.kube',
  '/.gnupg',
  '/.password-store',
  '/.config/gcloud',
  '/.azure',
  // Browser profiles (saved passwords, cookies), not the browsers' program folders.
  '/.mozilla/firefox',
  '/.config/google-chrome',
  '/.config/chromium',
  '/.config/bravesoftware',
  '/google/chrome/user data',
  '/microsoft/edge/user data',
  '/application support/google/chrome',
  '/application support/firefox',
  '/library/keychains',
];

/** Files that hold secrets wherever they are. */
const SECRET_FILE_NAMES = new Set([
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.pgpass',
  '.npmrc',
  '.pypirc',
  '.bash_history',
  '.zsh_history',
  '.vault-token',
  '.s3cfg',
  '.boto',
  'credentials.tfrc.json',
  'login data',
  'logins.json',
  'key4.db',
  'cookies.sqlite',
]);

/** Files that hold secrets at these full paths (after `/`-normalisation). */
const SECRET_PATHS = [
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/passwd',
  '/etc/master.passwd',
  '/etc/sudoers',
  '/etc/kubernetes/admin.conf',
  '/.docker/config.json',
  '/.config/gh/hosts.yml',
  '/serviceaccount/token',
  '/windows/system32/config/sam',
];

const WHITESPACE = /\s/;
/** Every sensitive name holds one of these (`/`, `\\`, `.`, `_`, or the space of "Login Data"). */
const PATH_CHARACTER = /[/\\._ ]/;
const SPACED_PROFILE_FOLDER = /\/(?:user data|application support|login data|web data)(?:\/|$)/;
const EXE_SUFFIX = /\.exe$/;
const DECLARE_EXPORTS = /^-[a-z]{0,4}[xp][a-z]{0,4}$/;
const POWERSHELL_ENVIRONMENT = /^env:(?:[\\/*]|\\\*)?$/i;
const KEYCHAIN_QUERY = /^find-\w{1,16}-password$/;
const NOT_A_SECRET_NAME =
  /_(?:ID|URL|URI|FILE|PATH|DIR|NAME|HOST|ENDPOINT|TYPE|HEADER|EXPIRY|EXPIRES|TTL|LIMIT|COUNT|SIZE|LENGTH)$/;

/** `/proc/<pid>/environ` (the path has a `/` put in front). */
const PROCESS_ENVIRONMENT = /\/proc\/[\w-]{1,16}\/environ$/;

/** `.env.<suffix>` files that are templates, committed on purpose. */
const ENV_TEMPLATES = new Set(['example', 'sample', 'template', 'dist', 'defaults', 'test']);

/** The folder markers of `SECRET_FOLDERS` a path lies in (for "copied to the same place" checks). */
export function secretFolderOf(path: string): string | undefined {
  const normalized = `/${path.toLowerCase().replaceAll('\\', '/')}`;
  return SECRET_FOLDERS.find((folder) => normalized.endsWith(folder) || normalized.includes(`${folder}/`));
}

/**
 * True when `word` names a file or folder that holds secrets: `~/.ssh/id_rsa`, `~/.ssh`, `~/.aws/credentials`,
 * `~/.kube/config`, `.env`, `/etc/shadow`, `/etc/passwd`, `.netrc`, `.git-credentials`, browser profiles,
 * `/proc/self/environ`, also written with `\` (`$env:USERPROFILE\.ssh\id_rsa`). A word with `=` or
 * whitespace is not a path (`IdentityFile=~/.ssh/id_rsa` is an option; `ssh -i key` is a command).
 */
export function isSensitivePath(word: string): boolean {
  if (word.length < 4 || word.length > 400 || !PATH_CHARACTER.test(word) || word.includes('=')) return false;
  let path = `/${word.toLowerCase().replaceAll('\\', '/')}`;
  // A trailing glob or slash names the folder (`~/.ssh/*`, `~/.aws/`).
  while (path.endsWith('*') || path.endsWith('/')) path = path.slice(0, -1);
  // Only browser profile paths hold spaces ("User Data", "Application Support", "Login Data"); any other
  // word with whitespace is a phrase or a command, not a path.
  if (WHITESPACE.test(path) && !SPACED_PROFILE_FOLDER.test(path)) return false;
  if (path.endsWith('.pub')) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (SECRET_FILE_NAMES.has(name)) return true;
  if (SECRET_FOLDERS.some((folder) => path.endsWith(folder) || path.includes(`${folder}/`))) {
    // Inside `.ssh` only private keys and the folder itself count: `config`, `known_hosts` and
    // `authorized_keys` are not secret.
    if (!path.includes('/.ssh/')) return true;
    return name.startsWith('id_') || name.endsWith('_key') || name.endsWith('.pem');
  }
  if (name.startsWith('id_rsa') || name.startsWith('id_ed25519') || name.startsWith('id_ecdsa')) return true;
  if (name.startsWith('ssh_host_') && name.endsWith('_key')) return true;
  if (name === '.env' || (name.startsWith('.env.') && !ENV_TEMPLATES.has(name.slice(5)))) return true;
  if (SECRET_PATHS.some((secret) => path.endsWith(secret))) return true;
  // `/proc/self/environ`, `/proc/1/environ`: a process's environment.
  return PROCESS_ENVIRONMENT.test(path);
}

const ASSIGNMENT = /^[A-Za-z_]\w{0,63}=/;

/** The command name of a command's words: past `sudo`, `env`-style assignments and redirections. */
export function commandName(words: readonly ShellWord[]): { name: string; at: number } | undefined {
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!.value;
    if (value === '<' || value === '>') {
      index++;
      continue;
    }
    // `$ ` and `% ` are shell prompts copied with the command.
    if (value === 'sudo' || value === '$' || value === '%' || ASSIGNMENT.test(value)) continue;
    return { name: value.toLowerCase().replace(EXE_SUFFIX, ''), at: index };
  }
  return undefined;
}

/** `env -0`, `printenv --null`: the same dump, separated by NUL characters. */
function nulSeparated(value: string): boolean {
  return value === '-0' || value === '--null';
}

/** The words of a command without its redirections (`> file`, `2>&1`, `< file`). */
export function withoutRedirections(words: readonly ShellWord[]): ShellWord[] {
  const kept: ShellWord[] = [];
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!.value;
    if (value === '<' || value === '>') index++;
    else kept.push(words[index]!);
  }
  return kept;
}

const POWERSHELL_LISTERS = new Set(['get-childitem', 'gci', 'dir', 'ls', 'get-item', 'gi']);

/**
 * True when a command prints the whole environment (`env`, `printenv`, `set`, `export -p`,
 * `declare -x`, `Get-ChildItem env:`) or one secret variable by name (`printenv GITHUB_TOKEN`).
 * `env FOO=1 node app.js` runs a program and is not a dump.
 */
export function dumpsEnvironment(words: readonly ShellWord[]): boolean {
  const command = commandName(words);
  if (command === undefined) return false;
  const rest = withoutRedirections(words.slice(command.at + 1)).map((word) => word.value);
  switch (command.name) {
    case 'env':
      return rest.every(nulSeparated);
    case 'printenv':
      return rest.every((value) => nulSeparated(value) || isSecretVariableName(value));
    case 'set':
      return rest.length === 0;
    case 'export':
      return rest.length === 0 || (rest.length === 1 && rest[0] === '-p');
    case 'declare':
    case 'typeset':
      return rest.length > 0 && rest.every((value) => DECLARE_EXPORTS.test(value));
    case 'compgen':
      return rest.length === 1 && (rest[0] === '-e' || rest[0] === '-v');
  }
  if (POWERSHELL_LISTERS.has(command.name)) {
    return rest.some((value) => POWERSHELL_ENVIRONMENT.test(value));
  }
  return command.name.includes('getenvironmentvariables');
}

/**
 * Commands that print secrets they hold: `gpg --export-secret-keys`, macOS `security find-…-password -w`,
 * `kubectl config view --raw`. Token printers meant for API calls (`gcloud auth print-access-token`) are
 * left out: they are the documented way to authenticate a request.
 */
function printsStoredSecrets(words: readonly ShellWord[]): boolean {
  const command = commandName(words);
  if (command === undefined) return false;
  const rest = withoutRedirections(words.slice(command.at + 1)).map((word) => word.value.toLowerCase());
  switch (command.name) {
    case 'gpg':
      return rest.some((value) => value.startsWith('--export-secret'));
    case 'security':
      return KEYCHAIN_QUERY.test(rest[0] ?? '') && (rest.includes('-w') || rest.includes('-g'));
    case 'kubectl':
      return rest[0] === 'config' && rest[1] === 'view' && rest.includes('--raw');
    default:
      return false;
  }
}

/**
 * True for a one-line program that reads a secret file or the environment
 * (`python3 -c "print(open(os.path.expanduser('~/.ssh/id_rsa')).read())"`, `node -e "console.log(process.env)"`),
 * as a pipeline's source or inside a substitution.
 */
function programReadsSecrets(words: readonly ShellWord[]): boolean {
  const command = commandName(words);
  if (command === undefined) return false;
  const program = commandProgram(command.name, words.slice(command.at + 1));
  return program !== undefined && codeFacts(program.code, program.modules).readsSecrets;
}

/** Option words whose value is a key the command uses, not data it reads (`ssh -i ~/.ssh/id_rsa`). */
const KEY_OPTIONS = new Set(['-i', '--identity', '--identity-file', '--key', '--cert', '--private-key']);

/**
 * True when a command reads secrets to its output: it names a sensitive file (not as the key it uses),
 * redirects one into its input, dumps the environment, prints stored secrets, or holds a substitution
 * that does any of these. `depth` bounds the nesting of substitutions looked into.
 */
export function readsSecrets(words: readonly ShellWord[], depth = 0): boolean {
  if (words.length === 0) return false;
  // The commands of one reading are asked about once per match that they feed: remember the answer
  // for the last few (a small Map: a WeakMap's bookkeeping costs more than the answer saves).
  if (depth === 0) {
    const known = READS_SECRETS.get(words);
    if (known !== undefined) return known;
    const answer = readsSecretsOnce(words, 0);
    if (READS_SECRETS.size >= 64) READS_SECRETS.clear();
    READS_SECRETS.set(words, answer);
    return answer;
  }
  return readsSecretsOnce(words, depth);
}

const READS_SECRETS = new Map<readonly ShellWord[], boolean>();

function readsSecretsOnce(words: readonly ShellWord[], depth: number): boolean {
  if (dumpsEnvironment(words) || printsStoredSecrets(words) || programReadsSecrets(words)) return true;
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!.value;
    if (KEY_OPTIONS.has(value.toLowerCase())) {
      index++;
      continue;
    }
    if (isSensitivePath(value)) return true;
    if (depth < 2 && (value.includes('(') || value.includes('`')) && scriptReadsSecrets(value, depth + 1)) {
      return true;
    }
  }
  return false;
}

/** True when a substitution inside `value` (`$(cat ~/.aws/credentials)`) reads secrets. */
export function scriptReadsSecrets(value: string, depth = 1): boolean {
  for (const script of substitutions(value)) {
    for (const command of readScript(script)) if (readsSecrets(command, depth)) return true;
  }
  return false;
}

const SECRET_NAME_PARTS = [
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'API_KEY',
  'APIKEY',
  'ACCESS_KEY',
  'PRIVATE_KEY',
  'CREDENTIAL',
  'AUTH_KEY',
  '_PAT',
];

/**
 * True for environment variable names that hold a secret (`GITHUB_TOKEN`, `OPENAI_API_KEY`,
 * `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`), not for names of ids, files or URLs that mention one
 * (`AWS_ACCESS_KEY_ID`, `TOKEN_URL`, `SECRET_FILE`).
 */
export function isSecretVariableName(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.length < 3 || upper.length > 64) return false;
  if (NOT_A_SECRET_NAME.test(upper)) {
    return false;
  }
  // `MAX_TOKENS`, `TOKENS_PER_MINUTE`: counts of model tokens.
  if (upper.includes('TOKENS')) return false;
  if (upper.startsWith('PUBLIC') || upper.includes('_PUBLIC')) return false;
  return SECRET_NAME_PARTS.some(
    (part) => upper.includes(part) && (part !== '_PAT' || upper.endsWith('_PAT')),
  );
}

/** `$NAME`, `${NAME}`, PowerShell `$env:NAME` and cmd `%NAME%`. */
export const VARIABLE_REFERENCE =
  /\$\{?([A-Za-z_][A-Za-z0-9_]{0,63})|\$env:([A-Za-z_][A-Za-z0-9_]{0,63})|%([A-Za-z_][A-Za-z0-9_]{0,63})%/gi;

/** The secret variables (`isSecretVariableName`) referenced in `values`. */
export function secretVariableNames(values: readonly string[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    for (const match of value.matchAll(VARIABLE_REFERENCE)) {
      const name = match[1] ?? match[2] ?? match[3] ?? '';
      if (isSecretVariableName(name)) names.push(name);
    }
  }
  return names;
}

/** Exported for the ReDoS test. */
export const SOURCE_PATTERNS: readonly RegExp[] = [
  PROCESS_ENVIRONMENT,
  ASSIGNMENT,
  WHITESPACE,
  PATH_CHARACTER,
  SPACED_PROFILE_FOLDER,
  EXE_SUFFIX,
  DECLARE_EXPORTS,
  POWERSHELL_ENVIRONMENT,
  KEYCHAIN_QUERY,
  NOT_A_SECRET_NAME,
];
