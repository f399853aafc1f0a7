import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { DigitRun, PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextWindow, hasAnyWord, scoreInWindow } from './context-words.js';
import { RecentParses } from './recent-parses.js';
import { stickyMatchesAt } from './scan-input.js';

// libphonenumber-js does the real work (metadata per region, validity, international prefixes). It is
// comparatively slow, so it only runs on digit-dense regions found by this cheap pattern.
// Sticky: tried at the start of each digit run (or at a + or ( right before it).
const REGION = /[+(]?\d[\d ().\-/\u00a0]{5,28}\d\)?/y;
// Shapes that are not phone numbers even when libphonenumber accepts the digits.
const DATE_SHAPE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;
const DOTTED_VERSION = /^\d{1,3}(?:\.\d{1,3}){2,}$/;
/**
 * libphonenumber-js costs 0.1–2 ms per call, so calls per text are budgeted (linear in the text length);
 * a text denser in phone-shaped numbers than this reports the first ones only.
 */
const CALLS_PER_TEXT = 16;
const CHARACTERS_PER_EXTRA_CALL = 2048;

/**
 * Recently parsed regions and the phone spans found in them, by default region and region text. Guards
 * see the same conversation again on every turn, so the same numbers come back; a small LRU keeps them
 * from being parsed again.
 */
const PARSED = new RecentParses<readonly { startsAt: number; endsAt: number }[]>(1024);
const DECIMAL = /^\d{1,9}[.,]\d+$/;
const YEAR_RANGE = /^(?:19|20)\d\d ?[-/] ?(?:19|20)\d\d$/;
const SEPARATOR_BETWEEN_DIGITS = /\d[ .\-\u00a0]+(?=\d)/g;

/**
 * Cheap shape test before the comparatively expensive libphonenumber-js call: 7–15 digits (E.164
 * allows at most 15), not a decimal or a year range, and either written like a phone number or with a
 * phone word nearby.
 */
function worthParsing(options: { text: string; start: number; end: number; region: string }): boolean {
  const { region } = options;
  // One pass over the region: digit count, digit groups, single-digit groups, four-digit groups.
  let digits = 0;
  let groups = 0;
  let singles = 0;
  let fours = 0;
  let groupLength = 0;
  for (let index = 0; index <= region.length; index += 1) {
    const code = index < region.length ? region.charCodeAt(index) : 32;
    if (code >= 48 && code <= 57) {
      digits += 1;
      groupLength += 1;
    } else if (groupLength > 0) {
      groups += 1;
      if (groupLength === 1) singles += 1;
      if (groupLength === 4) fours += 1;
      groupLength = 0;
    }
  }
  // E.164 allows at most 15 digits; national forms add at most a trunk prefix.
  if (digits < 7 || digits > 16) return false;
  // Phone numbers have few digit groups and at most two single digits (a country or trunk code).
  if (groups > 7 || singles > 2) return false;
  const international = region.includes('+');
  // 4-4-4-4 is how card numbers are written, not phone numbers.
  if (groups === 4 && fours === 4 && !international) return false;
  // Both shapes hold exactly two digit groups, so other regions skip the two pattern calls.
  if (groups === 2 && (DECIMAL.test(region) || YEAR_RANGE.test(region.trim()))) return false;
  if (international || region.includes('(') || groups >= 2) return true;
  // Fields spelled out: an object spread costs far more than the context lookup itself.
  const { text, start, end } = options;
  return hasAnyWord(contextWindow({ text, start, end, before: 30, after: 10 }), POSITIVE);
}

const POSITIVE = [
  'phone',
  'tel',
  'telephone',
  'call',
  'mobile',
  'cell',
  'fax',
  'whatsapp',
  'contact',
  'text',
  'sms',
  'reach',
  'dial',
  'telefon',
  'téléphone',
  'teléfono',
  'handy',
];

/** The non-digit characters of REGION's middle class: space ( ) . - / and no-break space. */
function inRegionClass(code: number): boolean {
  return (
    code === 32 || code === 40 || code === 41 || code === 46 || code === 45 || code === 47 || code === 0xa0
  );
}

/** True when the characters after a digit run up to the seventh from its start are digits or of REGION's class. */
function regionCharactersUpToSeventh(text: string, run: DigitRun): boolean {
  for (let index = run.end; index < run.start + 7; index += 1) {
    const code = text.charCodeAt(index); // NaN past the end: neither
    if (!(code >= 48 && code <= 57) && !inRegionClass(code)) return false;
  }
  return true;
}

/** REGION is tried at the run's first digit, or at a + or ( right before it. */
function pushRegionStart(text: string, starts: number[], run: DigitRun): void {
  const before = text.charCodeAt(run.start - 1); // NaN before the text
  starts.push(before === 43 || before === 40 ? run.start - 1 : run.start); // + or (
}

/**
 * Where REGION is tried: the start of each digit run (or the + or ( right before it) where it can
 * match. Starts where the sticky pattern fails are left out, which leaves its matches the same.
 */
export function regionStarts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  // REGION needs seven characters, each a digit or of its class, from the first digit on: a run of
  // seven digits or more has them; a shorter run needs a character of the class right after it (the
  // separators `runsBeforeSeparator` lists) and digits or such characters up to the seventh. At any
  // other run it cannot match, and a start where it cannot match changes nothing (most short runs in
  // code are followed by hex letters or quotes). The two lists, both in text order, are merged.
  const long = input.runsOfAtLeast(7);
  let next = 0;
  for (const run of input.runsBeforeSeparator) {
    if (run.end - run.start >= 7) continue; // in the long list
    if (!regionCharactersUpToSeventh(text, run)) continue;
    for (; next < long.length && long[next]!.start < run.start; next += 1)
      pushRegionStart(text, starts, long[next]!);
    pushRegionStart(text, starts, run);
  }
  for (; next < long.length; next += 1) pushRegionStart(text, starts, long[next]!);
  return starts;
}

/** PHONE_NUMBER: numbers libphonenumber-js finds valid, with a phone shape or a phone context word. */
export const phoneRecognizer: Recognizer = {
  name: 'phone',
  types: ['PHONE_NUMBER'],
  needs: 'long-number',
  patterns: [REGION, DATE_SHAPE, DOTTED_VERSION, DECIMAL, YEAR_RANGE, SEPARATOR_BETWEEN_DIGITS],
  find(input: ScanInput): PiiCandidate[] {
    if (!input.hasLongNumber) return [];
    const { text } = input;
    const found: PiiCandidate[] = [];
    let budget = CALLS_PER_TEXT + Math.floor(text.length / CHARACTERS_PER_EXTRA_CALL);
    for (const region of stickyMatchesAt({ text, pattern: REGION, starts: regionStarts(input) })) {
      const offset = region.index;
      if (!worthParsing({ text, start: offset, end: offset + region.value.length, region: region.value }))
        continue;
      // A hit becomes the most recent entry.
      let matches = PARSED.get(input.defaultRegion, region.value);
      if (matches === undefined) {
        if (budget === 0) break;
        budget -= 1;
        matches = findPhoneNumbersInText(region.value, {
          defaultCountry: input.defaultRegion as CountryCode,
        }).map((match) => ({ startsAt: match.startsAt, endsAt: match.endsAt }));
        PARSED.add(input.defaultRegion, region.value, matches);
      }
      for (const match of matches) {
        const start = offset + match.startsAt;
        const end = offset + match.endsAt;
        const value = text.slice(start, end);
        if (DATE_SHAPE.test(value) || DOTTED_VERSION.test(value)) continue;
        // A phone shape is a + prefix, an area code in parentheses, or three or more digit groups
        // (one separator is as likely an order number, a range or a date: 2024-000123).
        const shaped =
          value.startsWith('+') ||
          value.includes('(') ||
          (value.match(SEPARATOR_BETWEEN_DIGITS)?.length ?? 0) >= 2;
        // One context window, cut and searched once, for both the filter and the score.
        const window = contextWindow({ text, start, end, before: 30, after: 10 });
        const inContext = hasAnyWord(window, POSITIVE);
        if (!shaped && !inContext) continue;
        const score = scoreInWindow({
          window,
          base: shaped ? 0.7 : 0.45,
          positiveFound: inContext,
          boost: 0.25,
        });
        found.push({
          type: 'PHONE_NUMBER',
          start,
          end,
          score: clampScore(score),
          severity: 'medium',
          ruleId: 'pii.phone-number',
        });
      }
    }
    return found;
  },
};
