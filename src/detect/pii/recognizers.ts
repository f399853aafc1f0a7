import type { Recognizer } from './candidate.js';
import { creditCardRecognizer } from './credit-card.js';
import { cryptoWalletRecognizer } from './crypto-wallet.js';
import { dateOfBirthRecognizer } from './date-of-birth.js';
import { emailRecognizer } from './email.js';
import { ibanRecognizer } from './iban.js';
import { ipAddressRecognizer } from './ip-address.js';
import { macAddressRecognizer } from './mac-address.js';
import {
  frenchNirRecognizer,
  germanTaxIdRecognizer,
  italianFiscalCodeRecognizer,
  spanishDniRecognizer,
  spanishNieRecognizer,
  ukNinoRecognizer,
} from './national-ids-europe.js';
import { aadhaarRecognizer, usDriverLicenseRecognizer, usPassportRecognizer } from './national-ids-other.js';
import { personRecognizer } from './person.js';
import { phoneRecognizer } from './phone.js';
import { streetAddressRecognizer } from './street-address.js';
import { urlCredentialsRecognizer } from './url-credentials.js';
import { usSsnRecognizer } from './us-ssn.js';

/** Every PII recognizer, listed as data. */
export const PII_RECOGNIZERS: readonly Recognizer[] = [
  urlCredentialsRecognizer,
  emailRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  usSsnRecognizer,
  ipAddressRecognizer,
  macAddressRecognizer,
  cryptoWalletRecognizer,
  ukNinoRecognizer,
  spanishDniRecognizer,
  spanishNieRecognizer,
  italianFiscalCodeRecognizer,
  frenchNirRecognizer,
  germanTaxIdRecognizer,
  aadhaarRecognizer,
  usPassportRecognizer,
  usDriverLicenseRecognizer,
  dateOfBirthRecognizer,
  phoneRecognizer,
  personRecognizer,
  streetAddressRecognizer,
];

/** Every entity type the PII detector can report. */
export const PII_TYPES: readonly string[] = [
  ...new Set(PII_RECOGNIZERS.flatMap((recognizer) => recognizer.types)),
];

/** Every regular expression used by the PII recognizers, for the ReDoS test. */
export const PII_PATTERNS: readonly RegExp[] = PII_RECOGNIZERS.flatMap((recognizer) => recognizer.patterns);
