import { maskEmail, maskKeepLast, maskPrefix, maskUrlCredentials, maskWords } from './mask.js';

/** Masked evidence for a value of an entity type: never the value in full. */
export function piiEvidence(type: string, value: string): string {
  switch (type) {
    case 'EMAIL_ADDRESS':
      return maskEmail(value);
    case 'URL_WITH_CREDENTIALS':
      return maskUrlCredentials(value);
    case 'PERSON':
    case 'STREET_ADDRESS':
      return maskWords(value);
    case 'CRYPTO':
      return maskPrefix(value, value.startsWith('0x') ? 6 : 4);
    case 'IP_ADDRESS':
    case 'MAC_ADDRESS':
      return maskKeepLast(value, 2);
    case 'DATE_OF_BIRTH':
      return maskKeepLast(value, 0);
    default:
      return maskKeepLast(value, 4);
  }
}
