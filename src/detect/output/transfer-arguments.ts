import type { ShellWord } from './shell-words.js';

/**
 * What a `curl` or `wget` command sends, read from its options by hand (curl(1) "-d, --data",
 * "-F, --form", "-T, --upload-file"; wget(1) "--post-file", "--body-file"). Values are sorted by what
 * the command does with them, so the rules can tell a file uploaded (`-d @file`) from a file used
 * (`--cacert file`) and a token in a header from a token in the URL.
 */
export interface TransferArguments {
  /** Files whose content is sent (`-d @f`, `-F x=@f`, `-F x=<f`, `-T f`, `--post-file=f`). */
  uploads: string[];
  /** True when the request body is read from standard input (`@-`, `-T -`, `/dev/stdin`). */
  readsStdin: boolean;
  /** Files redirected into standard input (`< f`). */
  stdinFiles: string[];
  /** Request data and URLs: where values become part of what is sent. */
  sent: string[];
  /** Header and credential option values (`-H`, `-u`, `--oauth2-bearer`, `--header=`). */
  headers: string[];
  /** The destination URLs (operands and `--url`). */
  urls: string[];
}

/** curl short options that take a value. */
const CURL_SHORT_VALUES = new Set('dFTHuXoAeEwKbcDrmxUYyzCtPQ'.split(''));

/** curl long options that send their value (or the file it names with `@`). */
const CURL_DATA = new Set([
  '--data',
  '--data-binary',
  '--data-ascii',
  '--data-raw',
  '--data-urlencode',
  '--json',
]);
const CURL_FORM = new Set(['--form', '--form-string']);
const CURL_HEADER = new Set([
  '--header',
  '--user',
  '--oauth2-bearer',
  '--cookie',
  '--proxy-user',
  '--proxy-header',
]);
/** curl long options that take a value this reader has no use for. */
const CURL_OTHER_VALUES = new Set([
  '--request',
  '--output',
  '--user-agent',
  '--referer',
  '--write-out',
  '--config',
  '--cookie-jar',
  '--dump-header',
  '--range',
  '--max-time',
  '--connect-timeout',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '--proxy',
  '--cacert',
  '--capath',
  '--cert',
  '--cert-type',
  '--key',
  '--key-type',
  '--pass',
  '--resolve',
  '--connect-to',
  '--interface',
  '--limit-rate',
  '--netrc-file',
  '--aws-sigv4',
  '--variable',
  '--output-dir',
  '--max-filesize',
  '--ciphers',
  '--tls-max',
  '--unix-socket',
  '--abstract-unix-socket',
  '--local-port',
  '--dns-servers',
  '--expect100-timeout',
  '--happy-eyeballs-timeout-ms',
  '--keepalive-time',
  '--max-redirs',
  '--trace',
  '--trace-ascii',
  '--stderr',
  '--time-cond',
  '--user-agent',
  '--preproxy',
  '--proto',
  '--proto-redir',
  '--sasl-authzid',
  '--service-name',
]);

/** wget options (written `--name=value` or `--name value`) by what their value is. */
const WGET_UPLOAD = new Set(['--post-file', '--body-file']);
const WGET_DATA = new Set(['--post-data', '--body-data']);
const WGET_HEADER = new Set([
  '--header',
  '--password',
  '--http-password',
  '--user',
  '--http-user',
  '--load-cookies',
]);
const WGET_SHORT_VALUES = new Set('OoaPtTwUeiBQlARDIX'.split(''));
const WGET_LONG_VALUES = new Set([
  '--output-document',
  '--output-file',
  '--append-output',
  '--directory-prefix',
  '--tries',
  '--timeout',
  '--wait',
  '--user-agent',
  '--method',
  '--input-file',
  '--base',
  '--quota',
  '--level',
  '--accept',
  '--reject',
  '--domains',
  '--referer',
  '--ca-certificate',
  '--certificate',
  '--private-key',
  '--save-cookies',
  '--limit-rate',
  '--bind-address',
]);

function emptyArguments(): TransferArguments {
  return { uploads: [], readsStdin: false, stdinFiles: [], sent: [], headers: [], urls: [] };
}

/** A file named by a data value: `@file` (`name@file` for `--data-urlencode`). */
function dataFile(value: string, urlencode: boolean): string | undefined {
  if (value.startsWith('@')) return value.slice(1);
  if (!urlencode) return undefined;
  const at = value.indexOf('@');
  const equals = value.indexOf('=');
  return at > 0 && (equals === -1 || equals > at) ? value.slice(at + 1) : undefined;
}

/** A file named by a form value: `name=@file;type=…` or `name=<file`. */
function formFile(value: string): string | undefined {
  const equals = value.indexOf('=');
  if (equals === -1) return undefined;
  const marker = value[equals + 1];
  if (marker !== '@' && marker !== '<') return undefined;
  const rest = value.slice(equals + 2);
  const semicolon = rest.indexOf(';');
  return semicolon === -1 ? rest : rest.slice(0, semicolon);
}

function addUpload(found: TransferArguments, file: string): void {
  if (file === '-' || file === '.' || file === '/dev/stdin') found.readsStdin = true;
  else found.uploads.push(file);
}

/** Sorts one curl option value by what the option does with it. */
function curlValue(options: { found: TransferArguments; option: string; value: string }): void {
  const { found, option, value } = options;
  if (option === '-d' || CURL_DATA.has(option)) {
    const file = option === '--data-raw' ? undefined : dataFile(value, option === '--data-urlencode');
    if (file !== undefined) addUpload(found, file);
    found.sent.push(value);
  } else if (option === '-F' || CURL_FORM.has(option)) {
    const file = option === '--form-string' ? undefined : formFile(value);
    if (file !== undefined) addUpload(found, file);
    found.sent.push(value);
  } else if (option === '-T' || option === '--upload-file') {
    addUpload(found, value);
  } else if (option === '-H' || option === '-u' || option === '-b' || CURL_HEADER.has(option)) {
    found.headers.push(value);
  } else if (option === '--url') {
    found.urls.push(value);
    found.sent.push(value);
  }
}

/** Reads the words after `curl` (the command name excluded). */
export function readCurlArguments(words: readonly ShellWord[]): TransferArguments {
  const found = emptyArguments();
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!.value;
    const next = words[index + 1]?.value;
    if (value === '<' || value === '>') {
      if (value === '<' && next !== undefined) found.stdinFiles.push(next);
      index++;
    } else if (value.startsWith('--')) {
      if (
        CURL_DATA.has(value) ||
        CURL_FORM.has(value) ||
        CURL_HEADER.has(value) ||
        value === '--upload-file' ||
        value === '--url'
      ) {
        if (next !== undefined) curlValue({ found, option: value, value: next });
        index++;
      } else if (CURL_OTHER_VALUES.has(value)) {
        index++;
      }
    } else if (value.startsWith('-') && value.length > 1) {
      // Grouped short options (`-sSL`, `-fsSd@file`): the first that takes a value takes the rest of the
      // word, or the next word when nothing is left.
      for (let at = 1; at < value.length; at++) {
        const letter = value[at]!;
        if (!CURL_SHORT_VALUES.has(letter)) continue;
        const attached = value.slice(at + 1);
        if (attached.length > 0) curlValue({ found, option: `-${letter}`, value: attached });
        else if (next !== undefined) {
          curlValue({ found, option: `-${letter}`, value: next });
          index++;
        }
        break;
      }
    } else {
      found.urls.push(value);
      found.sent.push(value);
    }
  }
  return found;
}

/** Reads the words after `wget` (the command name excluded). */
export function readWgetArguments(words: readonly ShellWord[]): TransferArguments {
  const found = emptyArguments();
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!.value;
    const next = words[index + 1]?.value;
    if (word === '<' || word === '>') {
      if (word === '<' && next !== undefined) found.stdinFiles.push(next);
      index++;
      continue;
    }
    if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      const option = equals === -1 ? word : word.slice(0, equals);
      const known = WGET_UPLOAD.has(option) || WGET_DATA.has(option) || WGET_HEADER.has(option);
      if (!known) {
        if (equals === -1 && WGET_LONG_VALUES.has(option)) index++;
        continue;
      }
      let value: string | undefined = word.slice(equals + 1);
      if (equals === -1) {
        value = next;
        index++;
      }
      if (value === undefined) continue;
      if (WGET_UPLOAD.has(option)) addUpload(found, value);
      else if (WGET_DATA.has(option)) found.sent.push(value);
      else found.headers.push(value);
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      const last = word[word.length - 1]!;
      if (word.length === 2 && WGET_SHORT_VALUES.has(last)) index++;
      continue;
    }
    found.urls.push(word);
    found.sent.push(word);
  }
  return found;
}
