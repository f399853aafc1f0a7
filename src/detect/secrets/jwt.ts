import type { Matcher, SecretMatch } from './matcher.js';

// RFC 7519 compact serialization: base64url(header) . base64url(payload) . base64url(signature). Both
// JSON objects start with `{"`, which is `eyJ` in base64url.
export const JWT_PATTERN =
  /eyJ[A-Za-z0-9_-]{5,2048}\.eyJ[A-Za-z0-9_-]{2,8192}\.(?<signature>[A-Za-z0-9_-]{0,2048})/y;

/** Decodes the header and checks it is a JSON object with an `alg` member. */
function headerHasAlg(encoded: string): string | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
    const alg = (header as Record<string, unknown>).alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

/** JSON Web Tokens whose header decodes to JSON with `alg`. Unsigned (`alg: none`) tokens score lower. */
export const jwtMatcher: Matcher = {
  anchors: ['eyJ'],
  caseInsensitive: false,
  find(text, anchorStart): SecretMatch | undefined {
    if (anchorStart > 0 && /[A-Za-z0-9_-]/.test(text[anchorStart - 1] ?? '')) return undefined;
    JWT_PATTERN.lastIndex = anchorStart;
    const match = JWT_PATTERN.exec(text);
    if (!match) return undefined;
    const headerEnd = match[0].indexOf('.');
    const alg = headerHasAlg(match[0].slice(0, headerEnd));
    if (alg === undefined) return undefined;
    const signed = alg.toLowerCase() !== 'none' && (match.groups?.signature ?? '').length >= 16;
    return {
      ruleId: 'secrets.jwt',
      type: 'JWT',
      severity: signed ? 'high' : 'medium',
      score: signed ? 0.9 : 0.6,
      start: anchorStart,
      end: anchorStart + match[0].length,
      priority: 2,
    };
  },
};
