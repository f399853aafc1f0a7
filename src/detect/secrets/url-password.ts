import type { Matcher, SecretMatch } from './matcher.js';
import { isPlaceholder } from './placeholders.js';

// RFC 3986 §3.2.1: `scheme://user:password@host`. Sticky at the `://`; the scheme is read backwards by
// hand. The user part excludes `:`, the password excludes `@`, `/`, quotes and whitespace, so each part
// ends at one place and nothing backtracks.
export const URL_USERINFO_PATTERN =
  /:\/\/[^\s:@/"'<>]{0,128}:(?<value>[^\s@/"'<>]{1,256})@[^\s/?#@"'<>]{1,256}/dy;

function isSchemeCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 45 ||
    code === 46
  );
}

/** Any URL with a password in its userinfo (`https://user:pass@host`); databases have their own rules. */
export const urlPasswordMatcher: Matcher = {
  anchors: ['://'],
  caseInsensitive: false,
  find(text, anchorStart): SecretMatch | undefined {
    let schemeStart = anchorStart;
    while (
      schemeStart > 0 &&
      anchorStart - schemeStart < 32 &&
      isSchemeCharacter(text.charCodeAt(schemeStart - 1))
    ) {
      schemeStart--;
    }
    if (schemeStart === anchorStart) return undefined;
    URL_USERINFO_PATTERN.lastIndex = anchorStart;
    const match = URL_USERINFO_PATTERN.exec(text);
    const span = match?.indices?.groups?.value;
    const value = match?.groups?.value;
    if (!match || !span || value === undefined) return undefined;
    if (isPlaceholder(value) || /^[0-9]{1,5}$/.test(value)) return undefined;
    return {
      ruleId: 'secrets.url-password',
      type: 'URL_WITH_PASSWORD',
      severity: 'high',
      score: 0.85,
      start: span[0],
      end: span[1],
      priority: 1,
    };
  },
};
