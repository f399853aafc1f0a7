import { isAsciiCapital, isAsciiWordCode } from '../ascii-codes.js';
import type { DigitRun, ScanInput } from './candidate.js';
import { codiceFiscaleValid } from './checksums/codice-fiscale.js';
import { frenchNirValid } from './checksums/french-nir.js';
import { iso7064Mod11And10Valid } from './checksums/iso7064-mod11-10.js';
import { dniLetterValid, nieValid } from './checksums/spanish-id.js';
import { createPatternRecognizer } from './pattern-recognizer.js';

// UK National Insurance number (HMRC NIM39110): two prefix letters (D, F, I, Q, U, V never; O never
// second), six digits, suffix A–D. No checksum, so context matters.
const NINO = /(?<![\w])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])/g;
const NINO_INVALID_PREFIXES = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

/**
 * Where a NIE can start in a window's text: X, Y or Z, an optional hyphen, then `\d{7}` followed by a
 * hyphen or a letter, never a digit, so a run of exactly seven digits. A match starts 1 or 2 characters
 * before such a run with the letter (and hyphen) in place; the sticky pattern fails anywhere else.
 */
export function nieStarts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  for (const run of input.runsOfLength(7)) {
    const hyphen = text.charCodeAt(run.start - 1) === 45 ? 1 : 0;
    const letter = text.charCodeAt(run.start - 1 - hyphen);
    if (letter >= 88 && letter <= 90) starts.push(run.start - 1 - hyphen); // X, Y, Z
  }
  return starts;
}

/**
 * Where a National Insurance number can start in a window's text: two capitals and an optional space
 * before `\d{2}`, so two characters before a digit run right after two capitals, or three before one
 * after two capitals and a space. These tests read no character before the start, so a window's first
 * character needs no separate try; the sticky pattern fails at every other position. The two lists of
 * runs are in text order and give ascending starts, merged.
 */
export function ninoStarts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  const spaced = input.runsAfterBoundary;
  let next = 0;
  for (const run of input.runsAfterCapital) {
    if (!isAsciiCapital(text.charCodeAt(run.start - 2))) continue;
    for (; next < spaced.length && spaced[next]!.start < run.start; next += 1)
      pushSpacedNinoStart(text, starts, spaced[next]!);
    starts.push(run.start - 2);
  }
  for (; next < spaced.length; next += 1) pushSpacedNinoStart(text, starts, spaced[next]!);
  return starts;
}

/** `AB 12…`: a run after a space after two capitals starts a NINO three characters before it. */
function pushSpacedNinoStart(text: string, starts: number[], run: DigitRun): void {
  if (
    text.charCodeAt(run.start - 1) === 32 &&
    isAsciiCapital(text.charCodeAt(run.start - 2)) &&
    isAsciiCapital(text.charCodeAt(run.start - 3))
  )
    starts.push(run.start - 3);
}

/** UK_NINO. */
export const ukNinoRecognizer = createPatternRecognizer({
  name: 'uk-nino',
  type: 'UK_NINO',
  severity: 'high',
  patterns: [NINO],
  windowAnchors: ninoStarts,
  validate: (value) => !NINO_INVALID_PREFIXES.has(value.slice(0, 2)),
  base: 0.5,
  positive: ['national insurance', 'nino', 'ni number', 'ni no', 'insurance number', 'hmrc'],
  boost: 0.4,
});

const DNI = /(?<![\w])\d{8}-?[A-Z](?![\w])/g;
const NIE = /(?<![\w])[XYZ]-?\d{7}-?[A-Z](?![\w])/g;
const SPANISH_CONTEXT = ['dni', 'nie', 'nif', 'documento', 'identidad', 'extranjero', 'id', 'identity'];

/**
 * Where a DNI can start in a window's text, besides the window's first character: `\d{8}` after no word
 * character, then a hyphen or a capital, never a digit; so the start of a run of exactly eight digits
 * followed by a hyphen or a capital. (A window that begins inside a longer run shows a run start of its
 * own there, which is why the windows' first characters are tried too.)
 */
export function dniStarts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  for (const run of input.runsOfLength(8)) {
    const next = text.charCodeAt(run.end);
    if (next === 45 || isAsciiCapital(next)) starts.push(run.start);
  }
  return starts;
}

/** ES_DNI: eight digits and the mod 23 control letter. */
export const spanishDniRecognizer = createPatternRecognizer({
  name: 'es-dni',
  type: 'ES_DNI',
  severity: 'high',
  patterns: [DNI],
  windowAnchors: dniStarts,
  windowAnchorsAtWindowStarts: true,
  minDigits: 8,
  validate: (value) => dniLetterValid(value.slice(0, 8), value[value.length - 1]!),
  base: 0.6,
  positive: SPANISH_CONTEXT,
});

/** ES_NIE: X/Y/Z, seven digits and the mod 23 control letter. */
export const spanishNieRecognizer = createPatternRecognizer({
  name: 'es-nie',
  type: 'ES_NIE',
  severity: 'high',
  patterns: [NIE],
  windowAnchors: nieStarts,
  minDigits: 7,
  validate: (value) => nieValid(value.replace(/-/g, '')),
  base: 0.65,
  positive: SPANISH_CONTEXT,
});

// Codice fiscale: surname (3), name (3), year (2), month letter, day (2, +40 for women), municipality
// code (letter + 3), check letter. Digits may be replaced by LMNPQRSTUV when codes collide (omocodia).
const OMOCODE_DIGIT = '[0-9LMNPQRSTUV]';
const FISCAL_CODE = new RegExp(
  `(?<![\\w])[A-Z]{6}${OMOCODE_DIGIT}{2}[ABCDEHLMPRST]${OMOCODE_DIGIT}{2}[A-Z]${OMOCODE_DIGIT}{3}[A-Z](?![\\w])`,
  'y',
);

/**
 * Where a fiscal code can start: before a digit run that directly follows a capital letter, at the
 * distance of each digit position that can open such a run (6 and 7 in the year, 9 and 10 in the day, 12,
 * 13 and 14 in the municipality number; any digit may be a letter under omocodia). So every code that
 * keeps at least one digit is found; one with all seven digits replaced (the seventh level of omocodia)
 * holds no digit run and is not looked for. Of those starts, only the ones holding a capital with no word
 * character before it are kept: the sticky pattern opens with `(?<![\w])[A-Z]`, so at any other start it
 * fails at its first character, and dropping a start where it cannot match leaves the matches the same.
 * Most runs in code and prose follow no such start, so the list stays short.
 */
/** Offsets of the digit positions of a fiscal code, from the last to the first. */
const FISCAL_CODE_DIGIT_OFFSETS = [14, 13, 12, 10, 9, 7, 6];

export function fiscalCodeAnchors(input: ScanInput): number[] {
  const { text } = input;
  const anchors: number[] = [];
  for (const run of input.runsAfterCapital) {
    for (const offset of FISCAL_CODE_DIGIT_OFFSETS) {
      const start = run.start - offset;
      if (
        start >= 0 &&
        isAsciiCapital(text.charCodeAt(start)) &&
        !isAsciiWordCode(text.charCodeAt(start - 1))
      )
        anchors.push(start);
    }
  }
  return anchors;
}

/** IT_FISCAL_CODE. */
export const italianFiscalCodeRecognizer = createPatternRecognizer({
  name: 'it-fiscal-code',
  type: 'IT_FISCAL_CODE',
  severity: 'high',
  patterns: [FISCAL_CODE],
  validate: codiceFiscaleValid,
  needsLongNumber: false,
  // Every anchor is taken from a digit run.
  needsDigit: true,
  anchors: fiscalCodeAnchors,
  base: 0.8,
  positive: ['codice fiscale', 'fiscal code', 'cf', 'c.f.', 'tax code'],
  boost: 0.15,
});

// NIR: sex, year, month (01–12, or 20–99 for unknown/special), department (incl. 2A/2B), commune,
// order number and the two-digit key, optionally spaced as printed on the carte Vitale.
const NIR = /(?<![\w])[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w])/g;

/**
 * Where a NIR can start in a window's text, besides the window's first character: it opens with
 * `(?<![\w])[12]`, so at a digit-run start after no word character whose first digit is 1 or 2. The
 * sticky pattern fails at every other position.
 */
export function frenchNirStarts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  for (const run of input.runsAfterNonWord) {
    const first = text.charCodeAt(run.start);
    if (first === 49 || first === 50) starts.push(run.start);
  }
  return starts;
}

/** FR_NIR: key = 97 − (number mod 97). */
export const frenchNirRecognizer = createPatternRecognizer({
  name: 'fr-nir',
  type: 'FR_NIR',
  severity: 'high',
  patterns: [NIR],
  windowAnchors: frenchNirStarts,
  windowAnchorsAtWindowStarts: true,
  validate: frenchNirValid,
  base: 0.7,
  positive: ['sécurité sociale', 'securite sociale', 'nir', 'insee', 'carte vitale', 'social security'],
  boost: 0.25,
});

// Steuerliche Identifikationsnummer: 11 digits, first not 0, written compact or as 2-3-3-3.
const DE_TAX_ID = /(?<![\w])[1-9]\d(?: ?\d{3}){3}(?![\w])/g;

/**
 * In the first ten digits exactly one digit repeats (twice, or three times since 2016) and the others
 * appear at most once (BZSt specification of the IdNr).
 */
export function germanTaxIdDigitsPlausible(digits: string): boolean {
  const counts = new Map<string, number>();
  for (const digit of digits.slice(0, 10)) counts.set(digit, (counts.get(digit) ?? 0) + 1);
  const repeated = [...counts.values()].filter((count) => count > 1);
  return repeated.length === 1 && (repeated[0] === 2 || repeated[0] === 3);
}

/** DE_TAX_ID: ISO 7064 MOD 11,10 check digit plus the digit-distribution rule; scored low without context. */
export const germanTaxIdRecognizer = createPatternRecognizer({
  name: 'de-tax-id',
  type: 'DE_TAX_ID',
  severity: 'high',
  patterns: [DE_TAX_ID],
  minDigits: 11,
  validate: (value) => {
    const digits = value.replace(/ /g, '');
    return germanTaxIdDigitsPlausible(digits) && iso7064Mod11And10Valid(digits);
  },
  base: 0.4,
  positive: [
    'steuer-id',
    'steuerid',
    'steuer',
    'idnr',
    'identifikationsnummer',
    'steuernummer',
    'tax id',
    'tin',
    'steuer-idnr',
  ],
  boost: 0.45,
});
