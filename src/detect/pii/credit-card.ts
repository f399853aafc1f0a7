import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { luhnValid } from './checksums/luhn.js';
import { contextScore } from './context-words.js';
import { matchesInWindows } from './scan-input.js';

// Payment card numbers (ISO/IEC 7812): 12–19 digits, optionally grouped by spaces or dashes.
const CARD = /(?<![\d.,])\d(?:[ -]?\d){11,18}(?![\d]|[.,]\d)/g;

interface Issuer {
  name: string;
  /** Inclusive ranges over the first `digits` digits of the number. */
  ranges: readonly (readonly [number, number])[];
  digits: number;
  lengths: readonly number[];
}

// Issuer identification number ranges and lengths as published by the networks (Visa, Mastercard
// incl. the 2221–2720 2-series, Amex, Discover, JCB, Diners Club, UnionPay, Maestro). More specific
// ranges come first; the Discover/UnionPay co-branded range 622126–622925 is reported under UnionPay.
const ISSUERS: readonly Issuer[] = [
  {
    name: 'amex',
    ranges: [
      [34, 34],
      [37, 37],
    ],
    digits: 2,
    lengths: [15],
  },
  {
    name: 'mastercard',
    ranges: [
      [5100, 5599],
      [2221, 2720],
    ],
    digits: 4,
    lengths: [16],
  },
  {
    name: 'discover',
    ranges: [
      [6011, 6011],
      [6440, 6599],
    ],
    digits: 4,
    lengths: [16, 17, 18, 19],
  },
  { name: 'jcb', ranges: [[3528, 3589]], digits: 4, lengths: [16, 17, 18, 19] },
  {
    name: 'diners',
    ranges: [
      [3000, 3059],
      [3090, 3099],
      [3600, 3699],
      [3800, 3999],
    ],
    digits: 4,
    lengths: [14, 15, 16, 17, 18, 19],
  },
  {
    name: 'maestro',
    ranges: [
      [5018, 5018],
      [5020, 5020],
      [5038, 5038],
      [5893, 5893],
      [6304, 6304],
      [6759, 6759],
      [6761, 6763],
    ],
    digits: 4,
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
  {
    name: 'unionpay',
    ranges: [
      [6200, 6299],
      [8100, 8171],
    ],
    digits: 4,
    lengths: [16, 17, 18, 19],
  },
  { name: 'visa', ranges: [[4, 4]], digits: 1, lengths: [13, 16, 19] },
];

/** The card network whose IIN ranges and lengths match `digits`, if any. */
export function cardIssuer(digits: string): string | undefined {
  for (const issuer of ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    const prefix = Number(digits.slice(0, issuer.digits));
    if (issuer.ranges.some(([low, high]) => prefix >= low && prefix <= high)) return issuer.name;
  }
  return undefined;
}

/**
 * Group lengths people actually write: 4-4-4-4(-3), 4-6-5 (Amex), 4-6-4 (Diners), or no grouping; one
 * separator throughout. `value` is a CARD match: digits with single spaces or hyphens between them. One
 * pass over its characters, without splitting it into strings (this runs for every CARD match).
 */
export function groupingPlausible(value: string): boolean {
  let separator = -1;
  let closed = 0; // groups ended by a separator
  let first = 0;
  let second = 0;
  let closedAllFour = true;
  let length = 0; // digits of the group being read
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      length += 1;
      continue;
    }
    if (separator < 0) separator = code;
    else if (code !== separator) return false;
    closed += 1;
    if (closed === 1) first = length;
    else if (closed === 2) second = length;
    if (length !== 4) closedAllFour = false;
    length = 0;
  }
  if (closed === 0) return true;
  if (closed === 2 && first === 4 && second === 6 && (length === 5 || length === 4)) return true;
  return closedAllFour && length <= 4;
}

const POSITIVE = [
  'card',
  'visa',
  'mastercard',
  'amex',
  'credit',
  'debit',
  'cc',
  'payment',
  'pan',
  'karte',
  'carte',
  'tarjeta',
];

/** CREDIT_CARD: issuer range and length, plausible grouping, and a valid Luhn check digit. */
export const creditCardRecognizer: Recognizer = {
  name: 'credit-card',
  types: ['CREDIT_CARD'],
  needs: 'long-number',
  patterns: [CARD],
  find(input: ScanInput): PiiCandidate[] {
    if (!input.hasLongNumber) return [];
    const { text } = input;
    const found: PiiCandidate[] = [];
    // CARD holds 12 or more digits joined by at most one space or hyphen: one chain of 12 digits.
    for (const match of matchesInWindows({ text, windows: input.longNumberWindowsWith(12), pattern: CARD })) {
      const value = match.value;
      const digits = value.replace(/[ -]/g, '');
      if (!groupingPlausible(value) || cardIssuer(digits) === undefined || !luhnValid(digits)) continue;
      const start = match.index;
      const end = start + value.length;
      const base = value.length > digits.length ? 0.9 : 0.8;
      const score = contextScore({ text, start, end, base, positive: POSITIVE, boost: 0.1 });
      found.push({
        type: 'CREDIT_CARD',
        start,
        end,
        score: clampScore(score),
        severity: 'high',
        ruleId: 'pii.credit-card',
      });
    }
    return found;
  },
};
