import { urlHost } from './exfiltration-hosts.js';
import { isSecretVariableName, isSensitivePath, readsSecrets } from './sensitive-sources.js';
import { readScript } from './shell-words.js';

// What a one-line program (`python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`) reads and where it
// sends it, read from its source text by hand: string literals, the standard library's environment
// objects and the names of its network modules. It is not a parser for any of these languages; it looks
// for the two halves an exfiltration needs (a secret taken from the machine, a network sink) the way the
// shell rules do, so a program that only prints a version or only fetches a URL is left alone.

/** What a one-liner takes from the machine and sends. */
export interface CodeFacts {
  /** It reads a credential file or key (a sensitive path in a literal, with a read call) or dumps the environment. */
  readsSecrets: boolean;
  /** Secret environment variables it reads by name (`os.environ['GITHUB_TOKEN']`, `process.env.X`). */
  secretVariables: string[];
  /** It uses a network client (requests, urllib, http.client, socket, fetch, http.request, LWP, Net::HTTP, …). */
  sends: boolean;
  /** Hosts of the URLs and dotted names among its literals. */
  hosts: string[];
  /** It sets request headers or credentials (where a token to its own API belongs). */
  setsHeaders: boolean;
  /** It reads its standard input (`sys.stdin`, `process.stdin`, `readFileSync(0)`, Perl `<STDIN>`, Ruby `$stdin`). */
  readsStdin: boolean;
}

/** Literals kept per program at most; a one-liner is at most `MAX_COMMAND_CHARACTERS` long. */
const MAX_LITERALS = 64;

/** The string literals of a program (`'…'`, `"…"`, `` `…` ``), escapes kept as written. */
export function stringLiterals(code: string): string[] {
  const literals: string[] = [];
  let at = 0;
  while (at < code.length && literals.length < MAX_LITERALS) {
    const quote = code.charCodeAt(at);
    if (quote !== 39 && quote !== 34 && quote !== 96) {
      at++;
      continue;
    }
    let end = at + 1;
    while (end < code.length && code.charCodeAt(end) !== quote) end += code.charCodeAt(end) === 92 ? 2 : 1;
    literals.push(code.slice(at + 1, Math.min(end, code.length)));
    at = end + 1;
  }
  return literals;
}

/** Calls that read a file or run a command for its output, lower-cased (`open(` covers `popen(`, `File.open(`). */
const READ_CALLS = ['open(', 'read', 'slurp', 'check_output', 'execsync', 'file_get_contents', 'cat '];

/** Network clients, lower-cased: Python, Node.js, Perl, Ruby and PHP names. */
export const NETWORK_CLIENTS: readonly string[] = [
  'requests.',
  'urllib',
  'urlopen',
  'http.client',
  'httplib',
  'httpx',
  'aiohttp',
  'pycurl',
  'socket',
  'smtplib',
  'ftplib',
  'fetch(',
  'http.request',
  'https.request',
  'http.get(',
  'https.get(',
  'axios',
  'net.connect',
  'createconnection',
  'dgram',
  'websocket',
  'lwp',
  'http::tiny',
  'net::http',
  'http::request',
  'open-uri',
  'httparty',
  'faraday',
  'rest-client',
  'restclient',
  'curl_exec',
  'fsockopen',
];

/** Loading Node's `http`/`https` module counts as a client unless the program serves (`createServer`). */
const NODE_HTTP_MODULES = ["require('http", 'require("http', 'require(`http'];

/** Header and credential words: a token set there goes to the API it authenticates. */
const HEADER_WORDS = ['header', 'authorization', 'auth=', 'bearer'];

/** Environment objects read whole, and the few uses that read one entry or write (not a dump). */
const PYTHON_ENVIRON = 'environ';
const NODE_ENV = 'process.env';
const RUBY_ENV = 'ENV';

/** Names read from the environment one by one, per language. Bounded names, no nested quantifiers. */
const NAMED_VARIABLE_PATTERNS: readonly RegExp[] = [
  /(?:environ(?:\.get\(|\[)|getenv\(|env\.get\()\s{0,4}['"]([A-Za-z_]\w{0,63})/g,
  /process\.env(?:\.|\[\s{0,4}['"`])([A-Za-z_]\w{0,63})/g,
  /\bENV(?:\[|\.fetch\()\s{0,4}['"]([A-Za-z_]\w{0,63})/g,
  /\$ENV\{\s{0,4}['"]?([A-Za-z_]\w{0,63})/g,
];

const IDENTIFIER_CHARACTER = /\w/;

/** Exported for the ReDoS test. */
export const INTERPRETER_CODE_PATTERNS: readonly RegExp[] = [
  ...NAMED_VARIABLE_PATTERNS,
  IDENTIFIER_CHARACTER,
];

/** True when every occurrence of `name` at `at` is preceded by a non-identifier character. */
function standsAlone(code: string, at: number, length: number): boolean {
  return (
    !IDENTIFIER_CHARACTER.test(code[at - 1] ?? '') && !IDENTIFIER_CHARACTER.test(code[at + length] ?? '')
  );
}

/**
 * True when the program reads the whole environment: Python `os.environ` used whole (`dict(os.environ)`,
 * `os.environ.items()`), Node `process.env` used whole (`JSON.stringify(process.env)`), Ruby `ENV.to_h`
 * and the like, Perl `%ENV`, PHP `getenv()` and `$_ENV`. One entry (`os.environ['HOME']`,
 * `process.env.PORT`, `ENV['X']`) or an import (`from os import environ`) is not a dump.
 */
function dumpsEnvironment(code: string, lower: string): boolean {
  if (
    code.includes('%ENV') ||
    lower.includes('getenv()') ||
    code.includes('$_ENV') ||
    lower.includes('env.toobject(')
  ) {
    return true;
  }
  for (let at = code.indexOf(PYTHON_ENVIRON); at !== -1; at = code.indexOf(PYTHON_ENVIRON, at + 1)) {
    if (!standsAlone(code, at, PYTHON_ENVIRON.length)) continue;
    const next = code.slice(at + PYTHON_ENVIRON.length, at + PYTHON_ENVIRON.length + 12);
    if (
      next.startsWith('[') ||
      next.startsWith('.get(') ||
      next.startsWith('.setdefault') ||
      next.startsWith('.pop(')
    ) {
      continue;
    }
    if (code.slice(Math.max(0, at - 7), at) === 'import ') continue;
    return true;
  }
  for (let at = code.indexOf(NODE_ENV); at !== -1; at = code.indexOf(NODE_ENV, at + 1)) {
    const next = code[at + NODE_ENV.length] ?? '';
    if (next === '.' || next === '[' || next === '?' || IDENTIFIER_CHARACTER.test(next)) continue;
    return true;
  }
  for (let at = code.indexOf(RUBY_ENV); at !== -1; at = code.indexOf(RUBY_ENV, at + 1)) {
    if (!standsAlone(code, at, RUBY_ENV.length) || code[at - 1] === '$' || code[at - 1] === '%') continue;
    const next = code.slice(at + RUBY_ENV.length, at + RUBY_ENV.length + 10);
    if (
      next.startsWith('.to_') ||
      next.startsWith('.inspect') ||
      next.startsWith('.map') ||
      next.startsWith('.each') ||
      next.startsWith('.select') ||
      next.startsWith('.sort') ||
      next.startsWith('.collect')
    ) {
      return true;
    }
  }
  return false;
}

/**
 * True when a literal names a secret file (or two adjacent literals do, as in
 * `os.path.join(home, '.aws', 'credentials')`), or, for a program that runs commands, a literal command
 * reads secrets (`os.popen('cat ~/.ssh/id_rsa')`, Ruby `` `env` ``).
 */
function literalsReadSecrets(literals: readonly string[], runsCommands: boolean): boolean {
  for (let index = 0; index < literals.length; index++) {
    const literal = literals[index]!;
    // Perl and shell open modes (`<`, `< `) before the path.
    const path = literal.startsWith('<') ? literal.slice(1).trimStart() : literal;
    if (isSensitivePath(path)) return true;
    const next = literals[index + 1];
    if (next !== undefined && next.length > 0 && isSensitivePath(`${path}/${next}`)) return true;
    if (
      runsCommands &&
      literal.length < 400 &&
      readScript(literal).some((command) => readsSecrets(command))
    ) {
      return true;
    }
  }
  return false;
}

/** What a one-line program reads and where it sends it (see `CodeFacts`). */
export function codeFacts(code: string, modules: readonly string[] = []): CodeFacts {
  const lower = code.toLowerCase();
  const moduleText = modules.join(' ').toLowerCase();
  const literals = stringLiterals(code);
  const reads = READ_CALLS.some((call) => lower.includes(call)) || code.includes('`');
  const runsCommands =
    lower.includes('popen') ||
    lower.includes('check_output') ||
    lower.includes('subprocess') ||
    lower.includes('system(') ||
    lower.includes('execsync') ||
    code.includes('`');
  const secretVariables: string[] = [];
  for (const pattern of NAMED_VARIABLE_PATTERNS) {
    for (const match of code.matchAll(pattern)) {
      const name = match[1]!;
      if (isSecretVariableName(name)) secretVariables.push(name);
    }
  }
  const serves = lower.includes('createserver');
  const sends =
    NETWORK_CLIENTS.some((client) => lower.includes(client) || moduleText.includes(client)) ||
    moduleText.includes('socket') ||
    (!serves && NODE_HTTP_MODULES.some((module) => lower.includes(module)));
  const hosts: string[] = [];
  for (const literal of literals) {
    const host = urlHost(literal);
    if (host !== undefined) hosts.push(host);
  }
  return {
    readsSecrets: (reads && literalsReadSecrets(literals, runsCommands)) || dumpsEnvironment(code, lower),
    secretVariables,
    sends,
    hosts,
    setsHeaders: HEADER_WORDS.some((word) => lower.includes(word)),
    readsStdin: lower.includes('stdin') || lower.includes('readfilesync(0'),
  };
}
