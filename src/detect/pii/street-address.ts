import { isAsciiLetter } from '../ascii-codes.js';
import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextScore } from './context-words.js';
import { digitWindows, matchesInWindows, stickyMatchesAt, type TextWindow } from './scan-input.js';
import { ENGLISH_STREET_TYPES, GERMAN_STREET_SUFFIXES, ROMANCE_STREET_TYPES } from './street-types.js';

const UPPER = 'A-ZÀ-ÖØ-Þ';
const LOWER = 'a-zß-öø-ÿ';
const NAME_WORD = `[${UPPER}][${LOWER}]{1,24}`;
// "1600 Pennsylvania Avenue NW, Washington, DC 20500": number, 1–4 name words, street type, then
// optional unit, city, state and ZIP code or UK postcode.
const UNIT = `(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\\.? ?[A-Za-z0-9-]{1,6})?`;
const CITY = `(?:, ${NAME_WORD}(?: ${NAME_WORD}){0,2})?`;
const STATE_ZIP = `(?:,? [A-Z]{2} \\d{5}(?:-\\d{4})?|,? \\d{5}(?:-\\d{4})?|,? [A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2})?`;
// Sticky: tried at the start of each digit run.
const ENGLISH = new RegExp(
  `(?<![\\w-])\\d{1,5}[A-Za-z]? (?:(?:[NSEW]\\.?|North|South|East|West) )?(?:${NAME_WORD}\\.? ){1,4}(?:${ENGLISH_STREET_TYPES})(?: (?:NW|NE|SW|SE|N|S|E|W))?(?![\\w])${UNIT}${CITY}${STATE_ZIP}`,
  'y',
);
// "Hauptstraße 5, 10115 Berlin" / "Berliner Straße 12a"
const GERMAN = new RegExp(
  `(?<![\\w-])(?:[${UPPER}][${LOWER}]{1,30}(?:${GERMAN_STREET_SUFFIXES})|${NAME_WORD}(?:-${NAME_WORD})? (?:Straße|Strasse|Str\\.|Weg|Gasse|Platz|Allee|Ring|Damm)) \\d{1,4}[a-z]?(?![\\w])(?:, \\d{5} ${NAME_WORD})?`,
  'g',
);
const ROMANCE_NAME = `(?:${ROMANCE_STREET_TYPES}) (?:(?:de la|de l'|de|del|della|delle|dei|di|du|des|da|do|dos) )?${NAME_WORD}(?: ${NAME_WORD}){0,3}`;
const ROMANCE_CITY = `(?:, \\d{5} ${NAME_WORD})?`;
// "12 rue de la Paix, 75002 Paris": number first. Sticky: tried at the start of each digit run.
const ROMANCE_NUMBER_FIRST = new RegExp(
  `(?<![\\w-])\\d{1,4}(?: bis| ter)?,? ${ROMANCE_NAME}(?![\\w])${ROMANCE_CITY}`,
  'y',
);
// "Calle Mayor 5" / "Via Roma 10, 00184 Roma": number last, so it runs on short windows before numbers.
const ROMANCE_NUMBER_LAST = new RegExp(
  `(?<![\\w-])${ROMANCE_NAME},? (?:n\\.? ?|nº ?)?\\d{1,4}[a-z]?(?![\\w])${ROMANCE_CITY}`,
  'g',
);
const HAS_NUMBER = /\d/;
const AMBIGUOUS_TYPES: ReadonlySet<string> = new Set(
  'Drive Dr Way Place Pl Court Ct Row Walk Close Square Sq Circle Cir Trail Gardens Grove Crescent Mews Alley Terrace'.split(
    ' ',
  ),
);
const POSTCODE_AT_END = /\d{5}|[A-Z]\d[A-Z]{2}$/;
const POSITIVE = [
  'address',
  'live at',
  'lives at',
  'living at',
  'located at',
  'ship to',
  'deliver to',
  'mail to',
  'resides',
  'adresse',
  'anschrift',
  'dirección',
  'indirizzo',
  'home',
];

/** The capitals of NAME_WORD (`[A-ZÀ-ÖØ-Þ]`). */
function isNameUpper(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xde && code !== 0xd7);
}

/** The lowercase letters of NAME_WORD (`[a-zß-öø-ÿ]`). */
function isNameLower(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 0xdf && code <= 0xff && code !== 0xf7);
}

/**
 * Digit runs where a number-first address can start. Both patterns open with `(?<![\w-])\d{1,N}`, so a
 * run that is longer than N digits or follows a word character or hyphen cannot start a match (the
 * digits cannot stop inside the run, since what follows them is never a digit). After the digits:
 * - English (`\d{1,5}[A-Za-z]? ` and then a capitalized word or a capital compass point) needs a space
 *   and a capital, or one letter, a space and a capital;
 * - Romance (`\d{1,4}(?: bis| ter)?,? ` and then a street type, which opens with a letter, as `bis`
 *   and `ter` do) needs a space and a letter, or a comma, a space and a letter.
 * Trying the pattern at any other run would fail; dropping such starts leaves the matches unchanged (in
 * code, most digit runs sit inside identifiers, hex strings and expressions).
 */
export function numberFirstStarts(input: ScanInput): { english: number[]; romance: number[] } {
  const { text } = input;
  const english: number[] = [];
  const romance: number[] = [];
  // One walk for both forms over the runs the shared lookbehind allows (runs after a word character or
  // hyphen, most runs in code, are not in this list); the length test is shared too, and a run is kept
  // for a form exactly when the form's own test above holds.
  for (const run of input.runsAfterBoundary) {
    const digits = run.end - run.start;
    if (digits > 5) continue;
    const next = text.charCodeAt(run.end);
    const second = text.charCodeAt(run.end + 1);
    const third = text.charCodeAt(run.end + 2);
    if ((next === 32 && isNameUpper(second)) || (isAsciiLetter(next) && second === 32 && isNameUpper(third)))
      english.push(run.start);
    if (
      digits <= 4 &&
      ((next === 32 && isAsciiLetter(second)) || (next === 44 && second === 32 && isAsciiLetter(third)))
    )
      romance.push(run.start);
  }
  return { english, romance };
}

/** What may come between a number-last street name and its house number (Romance `n`, `n.`, `nº` marks). */
const HOUSE_NUMBER_MARKS = ['', 'n', 'n.', 'n ', 'n. ', 'nº', 'nº '];

/**
 * True when the characters before `start` can close a number-last address right before a house number.
 * German forms end `…straße 5`, `Str. 5`: a space after a lowercase letter or a dot. Romance forms end
 * with a capitalized name word, an optional comma, a space and an optional `n`, `n.`, `nº` mark with an
 * optional space (`…Mayor 5`, `…Roma, 10`, `…Augusta, nº 12`). Both patterns need one of these shapes
 * right before `\d{1,4}`.
 */
function closesHouseNumber(text: string, start: number): boolean {
  for (const mark of HOUSE_NUMBER_MARKS) {
    const at = start - mark.length;
    if (at < 2 || (mark.length > 0 && !text.startsWith(mark, at))) continue;
    if (text.charCodeAt(at - 1) !== 32) continue;
    const last = text.charCodeAt(at - 2);
    if (isNameLower(last) || (mark === '' && last === 46)) return true;
    if (last === 44 && isNameLower(text.charCodeAt(at - 3))) return true;
  }
  return false;
}

/** What may come right before a number-last house number: a space, or `n`, `n.`, `nº` (Romance forms). */
function beforeHouseNumber(code: number): boolean {
  return code === 32 || code === 110 || code === 46 || code === 0xba;
}

/** `closesHouseNumber`, after the one-character test that most runs fail (and that it implies). */
function closesAt(text: string, start: number): boolean {
  return beforeHouseNumber(text.charCodeAt(start - 1)) && closesHouseNumber(text, start);
}

/** True when some digit run has a shape before it that can close a number-last address. */
function anyRunClosesHouseNumber(text: string, runs: readonly { start: number; end: number }[]): boolean {
  for (const run of runs) if (closesAt(text, run.start)) return true;
  return false;
}

/**
 * The windows where a number-last pattern can match. Both end in `\d{1,4}[a-z]?(?![\w])` after one of
 * the shapes `closesHouseNumber` accepts, so a match holds a digit run of at most four digits with such
 * a shape before it, both inside the window the pattern runs on (runs are cut to the window, as the
 * pattern sees them). Other windows are dropped: the pattern could find nothing in them. When no digit
 * run in the text has such a shape before it, no window can match and none is built.
 */
export function numberLastWindows(input: ScanInput): TextWindow[] {
  const { text, digitRuns } = input;
  if (!anyRunClosesHouseNumber(text, digitRuns)) return [];
  const kept: TextWindow[] = [];
  let first = 0;
  for (const window of digitWindows({ input, before: 70, after: 6 })) {
    while (first < digitRuns.length && digitRuns[first]!.end <= window.start) first += 1;
    for (let index = first; index < digitRuns.length; index += 1) {
      const run = digitRuns[index]!;
      if (run.start >= window.end) break;
      const start = Math.max(run.start, window.start);
      const end = Math.min(run.end, window.end);
      if (end - start <= 4 && start > window.start && closesAt(text, start)) {
        kept.push(window);
        break;
      }
    }
  }
  return kept;
}

/**
 * The words GERMAN can end with before its house number, exactly as it spells them: `(?:straße|strasse|
 * str\.|weg|gasse|platz|allee|damm|chaussee)` closing a longer word, or `(?:Straße|Strasse|Str\.|Weg|
 * Gasse|Platz|Allee|Ring|Damm)` as a word of its own; a space and `\d{1,4}` follow.
 */
const GERMAN_ENDINGS = [
  ...GERMAN_STREET_SUFFIXES.replace(/\\/g, '').split('|'),
  ...['Straße', 'Strasse', 'Str.', 'Weg', 'Gasse', 'Platz', 'Allee', 'Ring', 'Damm'],
];

/**
 * Whether GERMAN can match somewhere in the text: its house number follows one of `GERMAN_ENDINGS` and a
 * space, so it starts a digit run (a space precedes it) right after such an ending. Most texts with
 * numbers have none ("Day 1", "about 3 km"), and GERMAN is then not run.
 */
export function germanPossible(input: ScanInput): boolean {
  const { text } = input;
  for (const run of input.digitRuns) {
    const space = run.start - 1;
    if (text.charCodeAt(space) !== 32) continue;
    for (const ending of GERMAN_ENDINGS) if (text.startsWith(ending, space - ending.length)) return true;
  }
  return false;
}

/** Which number-last patterns can match (ROMANCE_NUMBER_LAST is not screened: it always runs). */
export function numberLastPatterns(input: ScanInput): { german: boolean; romance: boolean } {
  return { german: germanPossible(input), romance: true };
}

/** The four address patterns, for the tests that compare the shortcuts with plain scans. */
export const STREET_ADDRESS_PATTERNS = {
  ENGLISH,
  GERMAN,
  ROMANCE_NUMBER_FIRST,
  ROMANCE_NUMBER_LAST,
} as const;

/** STREET_ADDRESS: a house number with a street name and type, optionally city and postcode. */
export const streetAddressRecognizer: Recognizer = {
  name: 'street-address',
  types: ['STREET_ADDRESS'],
  needs: 'digit',
  patterns: [ENGLISH, GERMAN, ROMANCE_NUMBER_FIRST, ROMANCE_NUMBER_LAST, HAS_NUMBER, POSTCODE_AT_END],
  find(input: ScanInput): PiiCandidate[] {
    if (!input.hasDigit) return [];
    const { text } = input;
    // Every address holds a number. English and "12 rue …" forms start with it: their sticky patterns
    // are tried at each digit run. Forms that end with it run on short windows before digit runs.
    const starts = numberFirstStarts(input);
    const possible = numberLastPatterns(input);
    const windows = numberLastWindows(input);
    // Most texts with numbers have no run where an address could start or end: nothing to match.
    if (starts.english.length === 0 && starts.romance.length === 0 && windows.length === 0) return [];
    const numberFirst = [
      ...stickyMatchesAt({ text, pattern: ENGLISH, starts: starts.english }),
      ...stickyMatchesAt({ text, pattern: ROMANCE_NUMBER_FIRST, starts: starts.romance }),
    ];
    const numberLast = [
      ...(possible.german ? matchesInWindows({ text, windows, pattern: GERMAN }) : []),
      ...(possible.romance ? matchesInWindows({ text, windows, pattern: ROMANCE_NUMBER_LAST }) : []),
    ];
    const found: PiiCandidate[] = [];
    const seen = new Set<number>();
    for (const match of [...numberFirst, ...numberLast]) {
      const value = match.value;
      // Romance forms may put the number last or first; without any number it is just a street name.
      if (!HAS_NUMBER.test(value)) continue;
      const start = match.index;
      if (seen.has(start)) continue;
      seen.add(start);
      const end = start + value.length;
      const hasPostcode = POSTCODE_AT_END.test(value.slice(3));
      // "2 Internal Solid State Hard Drive", "3 Simple Way": types that are also common words need a
      // postcode, a city or a context word before they count.
      const lastWord = value.slice(value.lastIndexOf(' ') + 1).replace(/\.$/, '');
      const ambiguous = !value.includes(',') && AMBIGUOUS_TYPES.has(lastWord);
      const base = hasPostcode ? 0.8 : ambiguous ? 0.4 : 0.65;
      const score = contextScore({ text, start, end, base, positive: POSITIVE, boost: 0.15 });
      found.push({
        type: 'STREET_ADDRESS',
        start,
        end,
        score: clampScore(score),
        severity: 'medium',
        ruleId: 'pii.street-address',
      });
    }
    return found;
  },
};
