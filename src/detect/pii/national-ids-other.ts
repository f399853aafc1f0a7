import { includesLiteral } from '../find-literal.js';
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

/** US_PASSPORT (format, in context only). */
export const usPassportRecognizer = createPatternRecognizer({
  name: 'us-passport',
  type: 'US_PASSPORT',
  severity: 'high',
  patterns: [US_PASSPORT],
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
const US_DRIVER_LICENSE =
  /(?<![\w-])(?:[A-Z]{1,2}\d{4,14}|\d{7,9}|[A-Z]\d{3}-\d{3,4}-\d{2,4}(?:-\d{1,3})?)(?![\w-])/g;

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
  // Searched by `cen`: a plain search for `icen` stops at every i.
  prefilter: (text) => includesLiteral(text, 'icen', 'cen') || text.includes('DL'),
});
