import { isAsciiCapital, isWordOrHyphen } from '../ascii-codes.js';
import { includesLiteral } from '../find-literal.js';
import type { DigitRun, ScanInput } from './candidate.js';
import { verhoeffValid } from './checksums/verhoeff.js';
import { createPatternRecognizer } from './pattern-recognizer.js';

// Aadhaar: 12 digits, first digit 2–9, Verhoeff check digit (UIDAI), usually printed as 4-4-4.
const AADHAAR = /(?<![\w-])[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}(?![\w-]|\.\d)/g;

/** IN_AADHAAR. */
export const aadhaarRecognizer = createPatternRecognizer({
  name: 'in-aadhaar',
  type: 'IN_AADHAAR',
  severity: 'high',
  patterns: [AADHAAR],
  minDigits: 12,
  validate: (value) =>
    (value.length === 12 || value[4] === value[9]) && verhoeffValid(value.replace(/[ -]/g, '')),
  base: 0.45,
  positive: ['aadhaar', 'aadhar', 'uidai', 'uid', 'enrolment', 'आधार'],
  boost: 0.45,
});

// US passport book numbers are nine digits; next-generation books use a letter and eight digits. The
// format alone is just a number, so a passport word must be near.
const US_PASSPORT = /(?<![\w])(?:[A-Z]\d{8}|\d{9})(?![\w])/g;

/**
 * Where a US passport number can start in a window's text, besides the window's first character: a
 * capital right before a run of exactly eight digits, or a run of exactly nine (no word character may
 * follow the digits, so the run ends there). The sticky pattern fails at every other position.
 */
export function passportStarts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  const nines = input.runsOfLength(9);
  let nine = 0;
  // Both lists are in text order: merge them so the starts stay ascending.
  for (const run of input.runsOfLength(8)) {
    if (!isAsciiCapital(text.charCodeAt(run.start - 1))) continue;
    while (nine < nines.length && nines[nine]!.start < run.start) starts.push(nines[nine++]!.start);
    starts.push(run.start - 1);
  }
  while (nine < nines.length) starts.push(nines[nine++]!.start);
  return starts;
}

/** US_PASSPORT (format, in context only). */
export const usPassportRecognizer = createPatternRecognizer({
  name: 'us-passport',
  type: 'US_PASSPORT',
  severity: 'high',
  patterns: [US_PASSPORT],
  windowAnchors: passportStarts,
  windowAnchorsAtWindowStarts: true,
  minDigits: 8,
  base: 0.45,
  positive: ['passport', 'passport no', 'passport number', 'passport#'],
  boost: 0.4,
  requireContext: true,
  before: 48,
  prefilter: (text) => includesLiteral(text, 'assport', 'port'),
});

// State driver's licence formats vary (AAMVA DL/ID standard annex): a letter and 4–14 digits, 7–9
// digits, or dashed forms such as Florida's A123-456-78-901 and Illinois' A123-4567-8901.
// Sticky: tried only at the anchors `driverLicenseAnchors` gives.
const US_DRIVER_LICENSE =
  /(?<![\w-])(?:[A-Z]{1,2}\d{4,14}|\d{7,9}|[A-Z]\d{3}-\d{3,4}-\d{2,4}(?:-\d{1,3})?)(?![\w-])/y;

/** The bare driver's licence form `\d{7,9}` starts at a run of seven to nine digits. */
function pushBareAnchor(anchors: number[], run: DigitRun): void {
  const digits = run.end - run.start;
  if (digits >= 7 && digits <= 9) anchors.push(run.start);
}

/**
 * Where a driver's licence number can start. Every form opens with its first digit run, which it takes
 * whole (what follows the digits is never a digit): `[A-Z]{1,2}\d{4,14}` one or two capitals before a
 * run of 4–14 digits, `[A-Z]\d{3}-…` one capital before a run of three digits and a hyphen, `\d{7,9}` a
 * run of 7–9 digits itself; and the lookbehind refuses a word character or hyphen before the start.
 * Trying the sticky pattern at these starts, in order, finds exactly what a scan of the whole text finds.
 */
export function driverLicenseAnchors(input: ScanInput): number[] {
  const { text } = input;
  const anchors: number[] = [];
  // The lettered and dashed forms need a capital before the run, the bare form no word character or
  // hyphen: two disjoint lists of runs, both in text order, merged so the anchors stay ascending.
  const bare = input.runsAfterBoundary;
  let next = 0;
  for (const run of input.runsAfterCapital) {
    const start = run.start;
    const digits = run.end - start;
    const lettered = digits >= 4 && digits <= 14;
    const dashed = digits === 3 && text.charCodeAt(run.end) === 45;
    if (!lettered && !dashed) continue;
    for (; next < bare.length && bare[next]!.start < start; next += 1) pushBareAnchor(anchors, bare[next]!);
    const two = text.charCodeAt(start - 2);
    if (lettered && isAsciiCapital(two) && !isWordOrHyphen(text.charCodeAt(start - 3)))
      anchors.push(start - 2);
    if (!isWordOrHyphen(two)) anchors.push(start - 1);
  }
  for (; next < bare.length; next += 1) pushBareAnchor(anchors, bare[next]!);
  return anchors;
}

/** US_DRIVER_LICENSE (format, in context only; the substring prefilter covers license, licence and DL; all-caps LICENSE alone is not looked for). */
export const usDriverLicenseRecognizer = createPatternRecognizer({
  name: 'us-driver-license',
  type: 'US_DRIVER_LICENSE',
  severity: 'high',
  patterns: [US_DRIVER_LICENSE],
  base: 0.45,
  positive: [
    "driver's license",
    'driver’s license',
    'drivers license',
    'driver license',
    "driver's licence",
    'driving licence',
    'dl',
    'dl#',
    'license number',
    'licence number',
    'license no',
  ],
  boost: 0.4,
  requireContext: true,
  before: 48,
  needsLongNumber: false,
  // Every anchor is taken from a digit run.
  needsDigit: true,
  anchors: driverLicenseAnchors,
  // Searched by `cen`: a plain search for `icen` stops at every i.
  prefilter: (text) => includesLiteral(text, 'icen', 'cen') || text.includes('DL'),
});
