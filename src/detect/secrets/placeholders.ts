/**
 * Placeholders and documented examples. A placeholder (`YOUR_API_KEY`, `<token>`, `${VAR}`, `xxxxxxxx`)
 * is not a secret and produces no finding; a documented example key (AWS's `AKIAIOSFODNN7EXAMPLE`) is
 * reported with `example: true` at severity `info`, because finding one in a prompt is worth knowing but
 * leaks nothing.
 */

import { isAsciiAlphanumeric } from '../ascii-codes.js';

/** Values people write where a secret would go. Compared after lower-casing and removing `-`, `_`, `.`. */
export const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  'changeme',
  'changeit',
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'yourapikey',
  'yourtoken',
  'yoursecret',
  'yourpassword',
  'mysecret',
  'mypassword',
  'mytoken',
  'placeholder',
  'redacted',
  'removed',
  'hidden',
  'none',
  'null',
  'nil',
  'undefined',
  'empty',
  'example',
  'sample',
  'dummy',
  'fake',
  'test',
  'testing',
  'foo',
  'bar',
  'foobar',
  'baz',
  'todo',
  'fixme',
  'tbd',
  'default',
  'admin',
  'root',
  'user',
  'username',
  'pass',
  'letmein',
  'hunter2',
  'qwerty',
  'abc123',
  'notasecret',
  'notreal',
  'insertkeyhere',
  'insertyourkeyhere',
  'xxx',
  'true',
  'false',
]);

// Markers that make a value a template or a reference rather than a literal.
const TEMPLATE_MARKERS = [
  '${',
  '{{',
  '}}',
  '<%',
  '%(',
  'process.env',
  'os.environ',
  'os.getenv',
  'env(',
  'ENV[',
];

/** `your_api_key_here`, `insert-token` and the like, after folding. */
export const FILLER_NAME_PATTERN =
  /^(?:your|my|insert|enter|put|add|replace)[a-z0-9]{0,40}(?:here|key|token|secret|password|id)$/;
/** Runs of filler characters: `xxxx`, `****`, `...`, `0000000000`. */
export const FILLER_PATTERN =
  /xxxx|XXXX|\*\*\*|\.\.\.|…|####|0000000000|1234567890|abcdefgh|ABCDEFGH|qwerty|QWERTY/;
/** Documented examples spell it out. */
export const EXAMPLE_PATTERN =
  /EXAMPLE|SAMPLE|DUMMY|FAKE|[Ee]xample|[Ss]ample|[Dd]ummy|[Ff]ake[A-Z_-]|NOT_?A_?REAL|notareal/;

/** The longest string `FILLER_NAME_PATTERN` accepts: `replace` + 40 + `password`. */
const FILLER_NAME_MAX = 55;

/** What one pass over an ASCII value tells `isPlaceholder` about the checks that can apply to it. */
interface AsciiFacts {
  /** Holds one of `{ } < % . ( [`: every template marker holds one of them. */
  markerCharacters: boolean;
  /** Everything but `-`, `_`, `.` and whitespace is an ASCII letter or digit. */
  alphanumeric: boolean;
  /** How many `-`, `_`, `.` and whitespace characters folding removes. */
  removed: number;
}

/** Facts about `value` when it is all ASCII, else undefined (its folding then runs as written). */
function asciiFacts(value: string): AsciiFacts | undefined {
  let markerCharacters = false;
  let alphanumeric = true;
  let removed = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 128) return undefined;
    // `-` `_` `.` and the ASCII characters of `\s` (tab to carriage return, space).
    if (code === 45 || code === 95 || code === 46 || code === 32 || (code >= 9 && code <= 13)) {
      removed++;
      if (code === 46) markerCharacters = true;
      continue;
    }
    if (isAsciiAlphanumeric(code)) continue;
    alphanumeric = false;
    // { } < % ( [
    if (code === 123 || code === 125 || code === 60 || code === 37 || code === 40 || code === 91) {
      markerCharacters = true;
    }
  }
  return { markerCharacters, alphanumeric, removed };
}

/** True when `value` is a placeholder, template reference or filler rather than a real secret. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) return true;
  // Secrets are mostly ASCII letters and digits: one pass rules out the template markers and the folded
  // word checks that cannot apply, with the same answers as running them.
  const facts = asciiFacts(trimmed);
  if (facts === undefined || facts.markerCharacters) {
    for (const marker of TEMPLATE_MARKERS) if (trimmed.includes(marker)) return true;
  }
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];
  if ((first === '<' && last === '>') || (first === '[' && last === ']') || (first === '{' && last === '}')) {
    return true;
  }
  if (first === '$' && /^\$[A-Za-z_][A-Za-z0-9_]{0,128}$/.test(trimmed)) return true;
  if (first === '%' && last === '%') return true;
  if (mayBeFillerWord(trimmed, facts)) {
    const folded =
      facts?.removed === 0 ? trimmed.toLowerCase() : trimmed.toLowerCase().replace(/[-_.\s]/g, '');
    if (PLACEHOLDER_WORDS.has(folded)) return true;
    if (FILLER_NAME_PATTERN.test(folded)) return true;
  }
  if (FILLER_PATTERN.test(trimmed)) return true;
  return isRepetitive(trimmed);
}

/**
 * False when the folded value can be neither a placeholder word nor a filler name: both are made of
 * `[a-z0-9]` only, and no filler name is longer than `FILLER_NAME_MAX` (no word is either).
 */
function mayBeFillerWord(trimmed: string, facts: AsciiFacts | undefined): boolean {
  if (facts === undefined) return true;
  return facts.alphanumeric && trimmed.length - facts.removed <= FILLER_NAME_MAX;
}

// Counts of ASCII code points for `isRepetitive`, and which of them it raised (at most 128), zeroed again
// before it returns (cheaper than a Map and a list per call).
const repeatCounts = new Int32Array(128);
const touchedCodes = new Uint8Array(128);

/** True when one character (code point) makes up most of the value (`aaaaaaa1`, `--------`). */
export function isRepetitive(value: string): boolean {
  if (value.length < 6) return false;
  let touched = 0;
  let others: Map<number, number> | undefined;
  let highest = 0;
  let distinct = 0;
  let decided = false;
  for (let index = 0; index < value.length; ) {
    // Code points, as `for…of` over a string yields them: a surrogate pair is one character.
    const code = value.codePointAt(index)!;
    index += code > 0xffff ? 2 : 1;
    let count: number;
    if (code < 128) {
      count = ++repeatCounts[code]!;
      if (count === 1) touchedCodes[touched++] = code;
    } else {
      others ??= new Map();
      count = (others.get(code) ?? 0) + 1;
      others.set(code, count);
    }
    if (count === 1) distinct++;
    if (count > highest) highest = count;
    // Three distinct characters, and the rest of the value (at most its remaining code units) cannot lift
    // any count above the share: the answer is already false.
    if (distinct > 2 && (highest + value.length - index) / value.length <= 0.6) {
      decided = true;
      break;
    }
  }
  for (let at = 0; at < touched; at++) repeatCounts[touchedCodes[at]!] = 0;
  if (decided) return false;
  return highest / value.length > 0.6 || distinct <= 2;
}

/**
 * True when a value looks like a documented example: it is in `known`, or spells out EXAMPLE / SAMPLE /
 * DUMMY / FAKE the way vendor docs do.
 */
export function isDocumentedExample(value: string, known: readonly string[] = []): boolean {
  if (known.includes(value)) return true;
  return EXAMPLE_PATTERN.test(value);
}
