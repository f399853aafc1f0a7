/** Header values as Node's `IncomingMessage.headers` gives them. */
export type HeaderBag = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The API key a client presented: `Authorization: Bearer <key>` (OpenAI clients) or `x-api-key: <key>`
 * (Anthropic clients). Returns undefined when neither header is present, '' when only an unusable
 * Authorization header is.
 */
export function presentedKeyFrom(headers: HeaderBag): string | undefined {
  const authorization = first(headers.authorization);
  if (authorization !== undefined) {
    // RFC 6750 §2.1: the scheme is case-insensitive; a single space separates it from the token.
    const match = /^bearer[ \t]{1,8}(\S{1,512})[ \t]{0,8}$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  const apiKey = first(headers['x-api-key']);
  if (apiKey !== undefined) return apiKey.trim();
  // An Authorization header of another scheme (Basic …) counts as presenting no usable key.
  return authorization === undefined ? undefined : '';
}
