import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';

// URLs with a user and password in the authority (RFC 3986 §3.2.1 userinfo, deprecated for passwords
// by §3.2.1 itself). Found from each `://` with bounded character scans, so no regex can backtrack.
const SCHEME_MAX = 32;
const URL_MAX = 2048;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,31}$/;

function isSchemeChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 45 ||
    code === 46
  );
}

function isUrlEnd(code: number): boolean {
  // whitespace, quotes, angle brackets and backticks end a URL in prose and code
  return code <= 32 || code === 34 || code === 39 || code === 60 || code === 62 || code === 96;
}

/** `[.,;:!?)\]}]`: sentence punctuation that may follow a URL without belonging to it. */
function isTrailingPunctuation(code: number): boolean {
  return (
    code === 46 ||
    code === 44 ||
    code === 59 ||
    code === 58 ||
    code === 33 ||
    code === 63 ||
    code === 41 ||
    code === 93 ||
    code === 125
  );
}

/** URL_WITH_CREDENTIALS: `scheme://user:password@host…`. */
export const urlCredentialsRecognizer: Recognizer = {
  name: 'url-credentials',
  types: ['URL_WITH_CREDENTIALS'],
  patterns: [SCHEME],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    const found: PiiCandidate[] = [];
    let marker = text.indexOf('://');
    while (marker >= 0) {
      let start = marker;
      while (start > 0 && marker - start < SCHEME_MAX && isSchemeChar(text.charCodeAt(start - 1))) start -= 1;
      const authorityStart = marker + 3;
      let end = authorityStart;
      let at = -1;
      let colon = -1;
      let authorityEnded = false;
      while (end < text.length && end - start < URL_MAX && !isUrlEnd(text.charCodeAt(end))) {
        const code = text.charCodeAt(end);
        if (!authorityEnded) {
          if (code === 47 || code === 63 || code === 35) {
            authorityEnded = true; // / ? #
            // Without an @ in the authority the URL holds no credentials and is not reported, and
            // where its path ends matters to nothing (the next search starts after this marker).
            if (at < 0) break;
          } else if (code === 64)
            at = end; // last @ of the authority ends the userinfo
          else if (code === 58 && at < 0 && colon < 0) colon = end;
        }
        end += 1;
      }
      // The tests that need no string come first; the end is trimmed only for a URL with credentials.
      let valid = at > authorityStart && colon > authorityStart && colon < at - 1;
      if (valid) {
        // trailing sentence punctuation is not part of the URL
        while (end > authorityStart && isTrailingPunctuation(text.charCodeAt(end - 1))) end -= 1;
        valid = end > at + 1 && SCHEME.test(text.slice(start, marker));
      }
      if (valid) {
        found.push({
          type: 'URL_WITH_CREDENTIALS',
          start,
          end,
          score: 0.95,
          severity: 'high',
          ruleId: 'pii.url-with-credentials',
        });
      }
      marker = text.indexOf('://', Math.max(marker + 3, valid ? end : marker + 3));
    }
    return found;
  },
};
