import { isAsciiCapital } from '../ascii-codes.js';
import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { mod97 } from './checksums/mod97.js';
import { contextScore } from './context-words.js';
import { IBAN_LENGTHS } from './iban-lengths.js';
import { stickyMatchesInWindows } from './scan-input.js';

// Country code, two check digits, then the BBAN, written compact or in groups separated by single spaces.
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g;
/** IBAN, sticky: tried only where `ibanStarts` says a match can begin. */
const IBAN_AT = new RegExp(IBAN.source, 'y');

/**
 * Where an IBAN can start: two characters before a digit run that follows two capitals. A match of
 * IBAN in a window's text opens with two capitals and two digits, so the second capital is right
 * before a digit that the text has no digit before: the start of a digit run. Trying the sticky pattern
 * only at these starts finds what a scan of each long-number window finds.
 */
export function ibanStarts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  for (const run of input.runsAfterCapital) {
    if (isAsciiCapital(text.charCodeAt(run.start - 2))) starts.push(run.start - 2);
  }
  return starts;
}

/** True when a compact IBAN has its country's length and passes the ISO 7064 MOD 97-10 check. */
export function ibanValid(compact: string): boolean {
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let digits = '';
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    digits += code >= 65 ? String(code - 55) : char;
  }
  return mod97(digits) === 1;
}

const POSITIVE = ['iban', 'account', 'bank', 'transfer', 'konto', 'compte', 'cuenta', 'conto', 'sepa'];

/** IBAN_CODE: per-country length and mod 97 check. */
export const ibanRecognizer: Recognizer = {
  name: 'iban',
  types: ['IBAN_CODE'],
  needs: 'long-number',
  patterns: [IBAN, IBAN_AT],
  find(input: ScanInput): PiiCandidate[] {
    if (!input.hasLongNumber) return [];
    const { text } = input;
    const found: PiiCandidate[] = [];
    const windows = input.longNumberWindows;
    for (const match of stickyMatchesInWindows({
      text,
      windows,
      pattern: IBAN_AT,
      starts: ibanStarts(input),
    })) {
      const value = match.value;
      const expected = IBAN_LENGTHS[value.slice(0, 2)];
      if (expected === undefined) continue;
      // The pattern is greedy; cut the match at the country's length, at a word boundary.
      let taken = 0;
      let cut = 0;
      while (cut < value.length && taken < expected) {
        if (value[cut] !== ' ') taken += 1;
        cut += 1;
      }
      if (taken < expected) continue;
      const start = match.index;
      const end = start + cut;
      if (/[A-Za-z0-9]/.test(text[end] ?? '')) continue;
      if (!ibanValid(value.slice(0, cut).replace(/ /g, ''))) continue;
      const score = contextScore({ text, start, end, base: 0.9, positive: POSITIVE, boost: 0.1 });
      found.push({
        type: 'IBAN_CODE',
        start,
        end,
        score: clampScore(score),
        severity: 'high',
        ruleId: 'pii.iban-code',
      });
    }
    return found;
  },
};
