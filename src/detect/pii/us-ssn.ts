import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextScore, contextWindow, hasAnyWord } from './context-words.js';
import { stickyMatchesInWindows } from './scan-input.js';

// US Social Security numbers: AAA-GG-SSSS, with dashes, spaces, or (only in context) as nine bare digits.
const SSN_GROUPED = /(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-]|\.\d)/g;
const SSN_BARE = /(?<![\d-])\d{9}(?![\d-]|\.\d)/g;
/** Sticky twins, tried only where `ssnStarts` says a match can begin. */
const SSN_GROUPED_AT = new RegExp(SSN_GROUPED.source, 'y');
const SSN_BARE_AT = new RegExp(SSN_BARE.source, 'y');

/**
 * Where each SSN pattern can match in a window's text, besides the window's first character: both open
 * with a digit that no digit precedes, so at a digit-run start; the grouped form takes exactly three
 * digits and then a hyphen or space, the bare form exactly nine digits (a digit never follows a run).
 * The sticky patterns fail at every other run.
 */
export function ssnStarts(input: ScanInput): { grouped: number[]; bare: number[] } {
  const { text } = input;
  const grouped: number[] = [];
  const bare: number[] = [];
  for (const run of input.runsOfLength(3)) {
    const next = text.charCodeAt(run.end);
    if (next === 45 || next === 32) grouped.push(run.start);
  }
  for (const run of input.runsOfLength(9)) bare.push(run.start);
  return { grouped, bare };
}

// Numbers the SSA never issues or that were published as examples (SSA POMS RM 10201.035).
const RETIRED = new Set(['078051120', '219099999', '123456789']);

/** True when the nine digits form an issuable SSN: area not 000, 666 or 9xx, group ≠ 00, serial ≠ 0000. */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || RETIRED.has(digits)) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  return digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

const POSITIVE = ['ssn', 'social security', 'social-security', 'ss#', 'ss #', 'ss no', 'taxpayer', 'tin'];

/** US_SSN. */
export const usSsnRecognizer: Recognizer = {
  name: 'us-ssn',
  types: ['US_SSN'],
  needs: 'long-number',
  patterns: [SSN_GROUPED, SSN_BARE, SSN_GROUPED_AT, SSN_BARE_AT],
  find(input: ScanInput): PiiCandidate[] {
    if (!input.hasLongNumber) return [];
    const { text } = input;
    const found: PiiCandidate[] = [];
    // Both patterns hold nine digits joined by at most one hyphen or space: one chain of nine digits.
    const windows = input.longNumberWindowsWith(9);
    const starts = ssnStarts(input);
    const grouped = { text, windows, pattern: SSN_GROUPED_AT, starts: starts.grouped, windowStarts: true };
    for (const match of stickyMatchesInWindows(grouped)) {
      const value = match.value;
      if (value[3] !== value[6]) continue; // mixed separators
      if (!ssnValid(value.replace(/[- ]/g, ''))) continue;
      const start = match.index;
      const end = start + value.length;
      const base = value[3] === '-' ? 0.6 : 0.45;
      const score = contextScore({ text, start, end, base, positive: POSITIVE, boost: 0.35 });
      found.push({
        type: 'US_SSN',
        start,
        end,
        score: clampScore(score),
        severity: 'high',
        ruleId: 'pii.us-ssn',
      });
    }
    const bare = { text, windows, pattern: SSN_BARE_AT, starts: starts.bare, windowStarts: true };
    for (const match of stickyMatchesInWindows(bare)) {
      const start = match.index;
      const end = start + 9;
      if (!ssnValid(match.value)) continue;
      // Nine bare digits are an SSN only when the text says so.
      if (!hasAnyWord(contextWindow({ text, start, end }), POSITIVE)) continue;
      const score = contextScore({ text, start, end, base: 0.45, positive: POSITIVE, boost: 0.35 });
      found.push({
        type: 'US_SSN',
        start,
        end,
        score: clampScore(score),
        severity: 'high',
        ruleId: 'pii.us-ssn',
      });
    }
    return found;
  },
};
