/**
 * Evidence masking. Findings carry a short, masked form of the value so reports and logs can show what
 * was found without repeating personal data in full.
 */

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isAlphanumeric(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 128)
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER_OR_DIGIT.test(char);
}

function isAsciiAlphanumericCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Masks every letter and digit except the last `keep` alphanumerics; separators stay. */
export function maskKeepLast(value: string, keep: number): string {
  // Nearly every value is ASCII, where each code unit is a character: no array of code points is made.
  let total = 0;
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code >= 128) return maskKeepLastByCodePoint(value, keep);
    if (isAsciiAlphanumericCode(code)) total += 1;
  }
  const visibleFrom = Math.max(total - keep, Math.ceil(total / 2));
  let alphanumericsSeen = 0;
  let out = '';
  for (let index = 0; index < value.length; index += 1) {
    if (isAsciiAlphanumericCode(value.charCodeAt(index))) {
      out += alphanumericsSeen >= visibleFrom ? value[index] : '*';
      alphanumericsSeen += 1;
    } else out += value[index];
  }
  return out;
}

/** `maskKeepLast` over code points, for values with a non-ASCII character. */
function maskKeepLastByCodePoint(value: string, keep: number): string {
  const chars = [...value];
  let total = 0;
  for (const char of chars) if (isAlphanumeric(char)) total += 1;
  const visibleFrom = Math.max(total - keep, Math.ceil(total / 2));
  let alphanumericsSeen = 0;
  let out = '';
  for (const char of chars) {
    if (isAlphanumeric(char)) {
      out += alphanumericsSeen >= visibleFrom ? char : '*';
      alphanumericsSeen += 1;
    } else out += char;
  }
  return out;
}

/** `john.doe@example.com` → `j***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskKeepLast(value, 0);
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}

/** Keeps the first letter of each word: `Jane Doe` → `J*** D***`. */
export function maskWords(value: string): string {
  return value
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => `${word.slice(0, 1)}***`)
    .join(' ');
}

/** `https://user:pass@host/path` → `https://***:***@host/path` (host shown, credentials hidden). */
export function maskUrlCredentials(value: string): string {
  const schemeEnd = value.indexOf('://');
  const at = value.indexOf('@', schemeEnd + 3);
  if (schemeEnd < 0 || at < 0) return maskKeepLast(value, 0);
  return `${value.slice(0, schemeEnd + 3)}***:***${value.slice(at)}`;
}

/** Shows only the first `keep` characters and the length: `0x52908400…[42]`. */
export function maskPrefix(value: string, keep: number): string {
  return `${value.slice(0, keep)}…[${value.length}]`;
}
