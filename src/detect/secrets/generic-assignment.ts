import { characterClasses, shannonEntropy } from './entropy.js';
import type { Matcher, SecretMatch } from './matcher.js';
import { isDocumentedExample, isPlaceholder } from './placeholders.js';

/**
 * Values assigned to secret-looking names in env files, YAML, JSON, INI and code: `PASSWORD=…`,
 * `api_key: …`, `"secret": "…"`, `token := "…"`, `Authorization: Bearer …`. Written by hand rather than
 * as one regex so each step is bounded and a line that is not an assignment costs a few comparisons.
 */

// Names are compared lower-cased without `_`, `-`, `.`; a name is secret-looking when it ends with one of
// these. Ending (not containing) keeps `tokenizer`, `password_length`, `secret_name` out.
const PASSWORD_SUFFIXES = ['password', 'passwd', 'passphrase', 'pass', 'pwd'];
const SECRET_SUFFIXES = [
  'secret',
  'secretkey',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'authkey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'sessionkey',
  'credential',
  'credentials',
  'secretkeybase',
  'authorization',
  'auth',
  'key',
];
const NOT_SECRET_SUFFIXES = [
  'publickey',
  'pubkey',
  'sortkey',
  'cachekey',
  'primarykey',
  'foreignkey',
  'partitionkey',
  'idempotencykey',
  'rangekey',
  'lookupkey',
  'mapkey',
  'objectkey',
  'storagekey',
  'translationkey',
  'i18nkey',
  'hotkey',
  'pagetoken',
  'nextpagetoken',
  'csrftoken',
  'xsrftoken',
  'nexttoken',
  'bypass',
  'compass',
  'oauth',
];

const MAX_NAME = 64;
const MAX_VALUE = 256;

type NameKind = 'password' | 'secret' | 'authorization';

// Names that hold derived or public values, never the secret itself (`hashed_secret`, `password_digest`).
const NOT_SECRET_PARTS = ['hash', 'digest', 'checksum', 'fingerprint', 'public', 'sha1', 'sha256', 'md5'];
// Trailing words that still name the secret itself: `SECRET_VALUE`, `api_token_str`, `PASSWORD2`.
const VALUE_WORDS =
  /(?:value|values|val|str|string|text|data|raw|plain|b64|base64|hex|enc|encoded|too|[0-9]{1,2})$/;

function classifyName(name: string, separated: boolean): NameKind | undefined {
  let folded = name.toLowerCase().replace(/[-_.]/g, '');
  if (folded.length === 0 || folded.length > MAX_NAME) return undefined;
  for (const part of NOT_SECRET_PARTS) if (folded.includes(part)) return undefined;
  const trailing = VALUE_WORDS.exec(folded);
  if (trailing && trailing.index > 0) folded = folded.slice(0, trailing.index);
  for (const suffix of NOT_SECRET_SUFFIXES) if (folded.endsWith(suffix)) return undefined;
  if (folded.endsWith('authorization') || folded === 'auth') return 'authorization';
  for (const suffix of PASSWORD_SUFFIXES) if (folded.endsWith(suffix)) return 'password';
  for (const suffix of SECRET_SUFFIXES) {
    // A bare `key` suffix only counts in env-style names (`STRIPE_KEY`, `sendgrid-key`).
    if (suffix === 'key' && !(separated && folded.length > 3)) continue;
    if (folded.endsWith(suffix)) return 'secret';
  }
  return undefined;
}

// Code repeats the same names (`apiKey`, `API_KEY`) on many lines: their classification is remembered.
const NAME_KINDS = new Map<string, NameKind | undefined>();
const NAME_KINDS_MAX = 2048;

/** `classifyName` of a name, memoized (it is a pure function of the name). */
function nameKind(name: string): NameKind | undefined {
  if (NAME_KINDS.has(name)) return NAME_KINDS.get(name);
  const kind = classifyName(name, /[-_]/.test(name));
  if (NAME_KINDS.size >= NAME_KINDS_MAX) NAME_KINDS.clear();
  NAME_KINDS.set(name, kind);
  return kind;
}

function isNameCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 46 ||
    code === 45
  );
}

// Characters that end a bare value: whitespace, quotes, `,` `;` and closing brackets.
function endsBareValue(code: number): boolean {
  return (
    code <= 32 ||
    code === 34 ||
    code === 39 ||
    code === 96 ||
    code === 44 ||
    code === 59 ||
    code === 41 ||
    code === 93 ||
    code === 125
  );
}

function isSpace(character: string | undefined): boolean {
  return character === ' ' || character === '\t';
}

const BANG = 33;
const HYPHEN = 45;
const COLON = 58;
const LESS = 60;
const EQUALS = 61;
const GREATER = 62;
const QUESTION = 63;

/**
 * Length of the assignment operator at `at` (codes past the text's end are NaN, equal to nothing):
 * `===` `!==` (3), `:=` `=>` `==` `!=` `<-` `?=` (2), `=` `:` (1), else 0. Code comparisons instead of
 * slicing three characters and matching a regex, on every anchor that reaches this check.
 */
function operatorLength(text: string, at: number): number {
  const first = text.charCodeAt(at);
  const second = text.charCodeAt(at + 1);
  const third = text.charCodeAt(at + 2);
  if ((first === EQUALS || first === BANG) && second === EQUALS && third === EQUALS) return 3;
  if (second === EQUALS && (first === COLON || first === EQUALS || first === BANG || first === QUESTION))
    return 2;
  if ((first === EQUALS && second === GREATER) || (first === LESS && second === HYPHEN)) return 2;
  return first === EQUALS || first === COLON ? 1 : 0;
}

/** Reads `<quote?><spaces><operator><spaces>` after a name; returns where the value starts. */
function readOperator(text: string, nameEnd: number): number | undefined {
  let index = nameEnd;
  const closing = text[index];
  if (closing === '"' || closing === "'" || closing === '`') index++;
  if (text[index] === ']') index++;
  let spaces = 0;
  while (isSpace(text[index]) && spaces < 8) {
    index++;
    spaces++;
  }
  const length = operatorLength(text, index);
  if (length === 0) return undefined;
  index += length;
  spaces = 0;
  while (isSpace(text[index]) && spaces < 8) {
    index++;
    spaces++;
  }
  return index;
}

/** Reads a quoted or bare value; returns its span or undefined when it is code rather than a literal. */
function readValue(
  text: string,
  start: number,
  inQuery: boolean,
): { start: number; end: number; quoted: boolean } | undefined {
  let valueStart = start;
  // YAML tags (`!!binary`, `!secret`) come before the value.
  if (text[valueStart] === '!') {
    const tag = /!{1,2}[a-z]{1,16}[ \t]{1,4}/y;
    tag.lastIndex = valueStart;
    const found = tag.exec(text);
    if (found) valueStart += found[0].length;
  }
  const quote = text[valueStart];
  if (quote === '"' || quote === "'" || quote === '`') {
    const limit = Math.min(text.length, valueStart + 1 + MAX_VALUE);
    for (let index = valueStart + 1; index < limit; index++) {
      const character = text[index];
      if (character === quote) return { start: valueStart + 1, end: index, quoted: true };
      if (character === '\n' || character === '\\') return undefined;
    }
    return undefined;
  }
  const limit = Math.min(text.length, valueStart + MAX_VALUE);
  let index = valueStart;
  // In a query string (`?api_key=…&page=2`) the value also ends at `&` or `#`.
  while (index < limit && !endsBareValue(text.charCodeAt(index))) {
    if (inQuery && (text[index] === '&' || text[index] === '#')) break;
    index++;
  }
  return { start: valueStart, end: index, quoted: false };
}

function looksLikeCode(value: string): boolean {
  if (/[()[\]{}]/.test(value) || value.startsWith('<')) return true;
  // `token = self.token`, `password: str`, `secret = os.environ`: identifiers and attribute paths.
  if (/^[A-Za-z_$][A-Za-z_$.]{0,255}$/.test(value)) return true;
  return /^(?:true|false|null|none|nil|undefined|required|optional|string|str|int)$/i.test(value);
}

/** Generic secrets on assignment-shaped lines. */
export const genericAssignmentMatcher: Matcher = {
  anchors: ['pass', 'pwd', 'secret', 'token', 'apikey', '_key', '-key', 'credential', 'auth'],
  caseInsensitive: true,
  find(text, anchorStart, anchor): SecretMatch | undefined {
    let nameStart = anchorStart;
    while (
      nameStart > 0 &&
      anchorStart - nameStart < MAX_NAME &&
      isNameCode(text.charCodeAt(nameStart - 1))
    ) {
      nameStart--;
    }
    let nameEnd = anchorStart + anchor.length;
    while (nameEnd < text.length && nameEnd - nameStart < MAX_NAME && isNameCode(text.charCodeAt(nameEnd))) {
      nameEnd++;
    }
    // The operator check is a few comparisons and fails on most anchors in prose ("author of"), so it
    // runs before the name is classified; both must pass, so the order does not change the result.
    const valueStart = readOperator(text, nameEnd);
    if (valueStart === undefined) return undefined;
    const kind = nameKind(text.slice(nameStart, nameEnd));
    if (kind === undefined) return undefined;
    const inQuery = text[nameStart - 1] === '?' || text[nameStart - 1] === '&';
    const span = readValue(text, valueStart, inQuery);
    if (!span) return undefined;
    let start = span.start;
    let value = text.slice(span.start, span.end);
    if (kind === 'authorization') {
      const scheme = /^(?:Bearer|Basic|Token|Bot|ApiKey)\s{1,4}/i.exec(value);
      if (scheme) {
        start += scheme[0].length;
        value = value.slice(scheme[0].length);
      } else if (!span.quoted) {
        // `Authorization: Bearer xyz` unquoted: the bare value stops at the space after the scheme.
        const after = readSchemeValue(text, span.start);
        if (!after) return undefined;
        start = after.start;
        value = text.slice(after.start, after.end);
      }
    }
    return judge({ value, start, kind, quoted: span.quoted });
  },
};

/** For an unquoted `Bearer <token>`: the token after the scheme word. */
function readSchemeValue(text: string, start: number): { start: number; end: number } | undefined {
  const scheme = /(?:Bearer|Basic|Token|Bot)[ \t]{1,4}/iy;
  scheme.lastIndex = start;
  const match = scheme.exec(text);
  if (!match) return undefined;
  const valueStart = start + match[0].length;
  let index = valueStart;
  const limit = Math.min(text.length, valueStart + MAX_VALUE);
  while (index < limit && !endsBareValue(text.charCodeAt(index))) index++;
  return { start: valueStart, end: index };
}

function judge(options: {
  value: string;
  start: number;
  kind: NameKind;
  quoted: boolean;
}): SecretMatch | undefined {
  const { value, start, kind, quoted } = options;
  const minimum = kind === 'password' ? 6 : 12;
  if (value.length < minimum || value.length > MAX_VALUE) return undefined;
  if (/\s/.test(value) || isPlaceholder(value)) return undefined;
  if (!quoted && looksLikeCode(value)) return undefined;
  if (/^(?:https?:\/\/|\/|\.\/|~\/)/.test(value) || /^[A-Za-z]:\\/.test(value)) return undefined;
  const entropy = shannonEntropy(value);
  const classes = characterClasses(value);
  const classCount =
    Number(classes.lower) + Number(classes.upper) + Number(classes.digit) + Number(classes.other);
  const end = start + value.length;
  const example = isDocumentedExample(value);
  if (kind === 'password') {
    if (entropy < 2.5 || classCount < 2) return undefined;
    return result({ ruleId: 'secrets.generic-password', type: 'PASSWORD', score: 0.8, start, end, example });
  }
  if (entropy < 3 || classCount < 2) return undefined;
  // Letters only (`notHighEnoughEntropy`, `MyServiceName`) reads as words unless it is very random.
  if (!classes.digit && !classes.other && entropy < 4) return undefined;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  const score = uuid ? 0.5 : entropy >= 4 ? 0.85 : 0.65;
  const type = kind === 'authorization' ? 'AUTHORIZATION_CREDENTIAL' : 'GENERIC_SECRET';
  const ruleId = kind === 'authorization' ? 'secrets.authorization-header' : 'secrets.generic-secret';
  return result({ ruleId, type, score, start, end, example });
}

function result(options: {
  ruleId: string;
  type: string;
  score: number;
  start: number;
  end: number;
  example: boolean;
}): SecretMatch {
  const { example, score } = options;
  return {
    ruleId: options.ruleId,
    type: options.type,
    severity: example ? 'info' : score >= 0.8 ? 'high' : 'medium',
    score: example ? 0.1 : score,
    start: options.start,
    end: options.end,
    ...(example ? { example: true } : {}),
    priority: 0,
  };
}
