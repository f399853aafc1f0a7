import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextScore } from './context-words.js';

// Email addresses are found by expanding around each `@` with character scans instead of a regular
// expression: the scan is linear and bounded (64 characters for the local part, 253 for the domain,
// RFC 5321 §4.5.3.1), so runs of `@`, dots or letters cannot cause backtracking.
const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;

function isLocalChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 46 || // .
    code === 95 || // _
    code === 37 || // %
    code === 43 || // +
    code === 45 // -
  );
}

function isDomainChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 46 ||
    code === 45
  );
}

const TLD = /^[A-Za-z]{2,24}$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const POSITIVE = ['email', 'e-mail', 'mail', 'contact', 'address', 'reach', 'send', 'courriel', 'correo'];

/** The email address around the `@` at `at`, if there is one. */
export function emailAt(text: string, at: number): { start: number; end: number } | undefined {
  let start = at;
  while (start > 0 && at - start < LOCAL_MAX && isLocalChar(text.charCodeAt(start - 1))) start -= 1;
  while (start < at && text.charCodeAt(start) === 46) start += 1; // no leading dot
  if (start === at || text.charCodeAt(at - 1) === 46) return undefined;
  let end = at + 1;
  while (end < text.length && end - at <= DOMAIN_MAX && isDomainChar(text.charCodeAt(end))) end += 1;
  while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end -= 1;
  const domain = text.slice(at + 1, end);
  const labels = domain.split('.');
  if (labels.length < 2 || !TLD.test(labels[labels.length - 1]!)) return undefined;
  for (const label of labels) if (!LABEL.test(label)) return undefined;
  return { start, end };
}

/** EMAIL_ADDRESS. */
export const emailRecognizer: Recognizer = {
  name: 'email',
  types: ['EMAIL_ADDRESS'],
  patterns: [TLD, LABEL],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    const found: PiiCandidate[] = [];
    let at = text.indexOf('@');
    while (at >= 0) {
      const span = emailAt(text, at);
      if (span) {
        const { start, end } = span;
        const score = contextScore({ text, start, end, base: 0.85, positive: POSITIVE, boost: 0.1 });
        found.push({
          type: 'EMAIL_ADDRESS',
          start,
          end,
          score: clampScore(score),
          severity: 'medium',
          ruleId: 'pii.email-address',
        });
      }
      at = text.indexOf('@', at + 1);
    }
    return found;
  },
};
