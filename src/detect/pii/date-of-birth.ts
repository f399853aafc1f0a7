import type { DigitRun, PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextWindow, hasAnyWord, NEGATIVE_CONTEXT_WORDS } from './context-words.js';
import { execAll } from './exec-all.js';
import { digitWindows } from './scan-input.js';

// A date is a date of birth only when the text says so: a trigger phrase, then a date shortly after.
const TRIGGER =
  /(?<![A-Za-zÀ-ÖØ-öø-ÿ])(?:born on|born|date of birth|birth ?date|birthday|dob|d\.o\.b\.?|geboren am|geboren|geburtsdatum|né le|née le|né en|date de naissance|fecha de nacimiento|nacid[oa] el|data di nascita|nat[oa] il|data de nascimento|nascid[oa] em)(?![A-Za-zÀ-ÖØ-öø-ÿ])/gi;
const MONTHS =
  'jan(?:uary|uar|vier)?|feb(?:ruary|ruar|rero|braio)?|févr(?:ier)?|mar(?:ch|s|zo)?|märz|apr(?:il|ile)?|avril|abril|may|mai|mayo|maggio|june?|juni|juin|junio|giugno|july?|juli|juillet|julio|luglio|aug(?:ust)?|août|agosto|sept?(?:ember|embre|iembre)?|settembre|oct(?:ober)?|okt(?:ober)?|octobre|octubre|ottobre|nov(?:ember|embre|iembre)?|dec(?:ember)?|dez(?:ember)?|décembre|diciembre|dicembre|enero|gennaio|febrero';
const NUMERIC_DATE = /(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))(?![\d])/g;
const TEXT_DATE = new RegExp(
  `(?<![A-Za-zÀ-ÖØ-öø-ÿ\\d])(?:\\d{1,2}(?:st|nd|rd|th|\\.)? (?:of )?(?:${MONTHS})\\.?,? \\d{4}|(?:${MONTHS})\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4})(?![A-Za-zÀ-ÖØ-öø-ÿ\\d])`,
  'gi',
);
/** How far after the trigger the date may start. */
const LOOKAHEAD = 32;

function numericDatePlausible(value: string): boolean {
  const parts = value.split(/[./-]/).map(Number);
  const [first, second, third] = parts as [number, number, number];
  const [year, a, b] = first > 31 ? [first, second, third] : [third, first, second];
  if (year > 99 && (year < 1900 || year > 2100)) return false;
  return a >= 1 && b >= 1 && ((a <= 31 && b <= 12) || (a <= 12 && b <= 31));
}

function firstDate(window: string): { index: number; length: number } | undefined {
  let best: { index: number; length: number } | undefined;
  for (const pattern of [NUMERIC_DATE, TEXT_DATE]) {
    pattern.lastIndex = 0;
    const match = pattern.exec(window);
    if (!match) continue;
    if (pattern === NUMERIC_DATE && !numericDatePlausible(match[0])) continue;
    if (best === undefined || match.index < best.index)
      best = { index: match.index, length: match[0].length };
  }
  return best;
}

/** True for a four-digit run 19xx or 20xx. */
function yearLike(text: string, run: DigitRun): boolean {
  const first = text.charCodeAt(run.start);
  const second = text.charCodeAt(run.start + 1);
  return (first === 49 && second === 57) || (first === 50 && second === 48);
}

/** True for a run followed by a date separator (. / -) and another digit. */
function joinedToDigits(text: string, run: DigitRun): boolean {
  const separator = text.charCodeAt(run.end);
  const next = text.charCodeAt(run.end + 1);
  return (separator === 46 || separator === 47 || separator === 45) && next >= 48 && next <= 57;
}

/**
 * The digit runs that can belong to a date, in text order: four-digit years 19xx and 20xx, and runs
 * followed by a date separator and another digit (those are among the runs before a separator). Both
 * lists are in text order; they are merged without repeats.
 */
export function dateLikeRuns(input: ScanInput): DigitRun[] {
  const { text } = input;
  const runs: DigitRun[] = [];
  const years = input.runsOfLength(4);
  let next = 0;
  for (const run of input.runsBeforeSeparator) {
    if (!joinedToDigits(text, run)) continue;
    for (; next < years.length && years[next]!.start <= run.start; next += 1) {
      if (years[next] !== run && yearLike(text, years[next]!)) runs.push(years[next]!);
    }
    runs.push(run);
  }
  for (; next < years.length; next += 1) if (yearLike(text, years[next]!)) runs.push(years[next]!);
  return runs;
}

/** DATE_OF_BIRTH: a date right after a birth phrase in English, German, French, Spanish, Italian or Portuguese. */
export const dateOfBirthRecognizer: Recognizer = {
  name: 'date-of-birth',
  types: ['DATE_OF_BIRTH'],
  needs: 'digit',
  patterns: [TRIGGER, NUMERIC_DATE, TEXT_DATE],
  find(input: ScanInput): PiiCandidate[] {
    if (!input.hasDigit) return [];
    const { text } = input;
    const found: PiiCandidate[] = [];
    let searchFrom = 0;
    // Every date holds a four-digit year or digits joined by a date separator: look for trigger
    // phrases only shortly before such digit runs.
    for (const window of digitWindows({ input, before: 80, after: 0, runs: dateLikeRuns(input) })) {
      const slice = text.slice(window.start, window.end);
      for (const trigger of execAll(TRIGGER, slice)) {
        const after = window.start + trigger.index + trigger[0].length;
        if (after < searchFrom) continue;
        const date = firstDate(text.slice(after, after + LOOKAHEAD + 30));
        if (date === undefined || date.index > LOOKAHEAD) continue;
        const start = after + date.index;
        const end = start + date.length;
        searchFrom = end;
        const negative = hasAnyWord(contextWindow({ text, start, end }), NEGATIVE_CONTEXT_WORDS);
        const score = negative ? 0.65 : 0.85;
        found.push({
          type: 'DATE_OF_BIRTH',
          start,
          end,
          score: clampScore(score),
          severity: 'medium',
          ruleId: 'pii.date-of-birth',
        });
      }
    }
    return found;
  },
};
