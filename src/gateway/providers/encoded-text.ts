/**
 * Text carried encoded in a request: a file or image sent inline as a data URL (RFC 2397,
 * `data:text/plain;base64,…`) or as bare base64 (`file_data`, an Anthropic `base64` source). The model
 * reads the decoded text, so the input guard checks the decoded text and, when it redacts, the gateway
 * encodes the redacted text back the same way.
 */
export type TextEncoding =
  /** A `data:` URL; its header (up to and including the comma) is kept as sent. */
  | 'data-url'
  /** Bare base64 of UTF-8 text. */
  | 'base64';

/**
 * Media types whose bytes are text a model reads as such (exported for the ReDoS test). SVG is XML text
 * (an image the model may read as markup); binary media (PDF, images, audio) cannot be read without a
 * parser of its format.
 */
export const TEXT_MEDIA =
  /^(?:text\/[a-z0-9.+-]{1,64}|application\/(?:json|xml|x-yaml|yaml|javascript|x-ndjson|sql|x-sh|[a-z0-9.-]{1,64}\+(?:json|xml))|image\/svg\+xml)$/;

/** True for a media type (parameters ignored) whose content is text. */
export function isTextMediaType(mediaType: string): boolean {
  const semicolon = mediaType.indexOf(';');
  const type = (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).trim().toLowerCase();
  return TEXT_MEDIA.test(type);
}

/** A data URL split into its header and payload; undefined when `text` is not one. */
interface DataUrl {
  /** `data:<type>[;params][;base64],` */
  header: string;
  mediaType: string;
  base64: boolean;
  payload: string;
}

/** Headers longer than this are not a media type and parameters (and are checked as plain text). */
const MAX_HEADER = 256;

function parseDataUrl(text: string): DataUrl | undefined {
  if (!text.startsWith('data:')) return undefined;
  const comma = text.indexOf(',');
  if (comma === -1 || comma > MAX_HEADER) return undefined;
  const meta = text.slice(5, comma);
  const base64 = meta.toLowerCase().endsWith(';base64');
  const mediaType = base64 ? meta.slice(0, -7) : meta;
  return {
    header: text.slice(0, comma + 1),
    mediaType: mediaType || 'text/plain',
    base64,
    payload: text.slice(comma + 1),
  };
}

/** How a string that may hold encoded media is to be checked. */
export type EncodedKind =
  /** Not encoded: check it as it is. */
  | { kind: 'plain' }
  /** Encoded text: check the decoded text. */
  | { kind: 'text'; encoding: TextEncoding }
  /** Binary media (an image, a PDF, audio): nothing a text check can read. */
  | { kind: 'media' };

const PLAIN: EncodedKind = { kind: 'plain' };
const MEDIA: EncodedKind = { kind: 'media' };
const DATA_URL_TEXT: EncodedKind = { kind: 'text', encoding: 'data-url' };
const BASE64_TEXT: EncodedKind = { kind: 'text', encoding: 'base64' };

/**
 * True for base64 (RFC 4648, standard or URL alphabet, padding optional, line breaks allowed). A scan
 * rather than a pattern: payloads reach the body limit, and one pass over them is linear.
 */
function isBase64(text: string): boolean {
  let padding = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 61 /* = */) {
      if (++padding > 2) return false;
      continue;
    }
    if (code === 10 || code === 13) continue;
    if (padding > 0) return false;
    const alphanumeric =
      (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!alphanumeric && code !== 43 && code !== 47 && code !== 45 && code !== 95) return false;
  }
  return true;
}

/** How to check a string that may be a data URL (any string starting with `data:`). */
export function classifyDataUrl(text: string): EncodedKind {
  const url = parseDataUrl(text);
  if (url === undefined) return PLAIN;
  if (!isTextMediaType(url.mediaType)) return MEDIA;
  // A text payload that does not decode is checked as sent (never skipped).
  const decoded = url.base64
    ? isBase64(url.payload)
      ? decodedUtf8Text(url.payload)
      : undefined
    : percentDecoded(url.payload);
  return decoded === undefined ? PLAIN : DATA_URL_TEXT;
}

/**
 * How to check bare base64 whose media type is unknown (`file_data` without a data URL header) or given
 * apart (`mediaType`): text when it decodes to UTF-8 text, media when it decodes to binary bytes, plain
 * (checked as sent) when it is not base64.
 */
export function classifyBase64(text: string, mediaType?: string): EncodedKind {
  if (!isBase64(text)) return PLAIN;
  const decoded = decodedUtf8Text(text) !== undefined;
  if (mediaType !== undefined && isTextMediaType(mediaType)) return decoded ? BASE64_TEXT : PLAIN;
  if (mediaType !== undefined) return MEDIA;
  return decoded ? BASE64_TEXT : MEDIA;
}

function percentDecoded(payload: string): string | undefined {
  try {
    return decodeURIComponent(payload);
  } catch {
    return undefined;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The UTF-8 text base64 decodes to, or undefined for bytes that are not text (invalid UTF-8, NUL). */
function decodedUtf8Text(base64: string): string | undefined {
  try {
    const text = UTF8.decode(Buffer.from(base64, 'base64'));
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** The text an encoded string holds (see `classifyDataUrl`, `classifyBase64`). */
export function decodeText(encoded: string, encoding: TextEncoding): string {
  if (encoding === 'base64') return Buffer.from(encoded, 'base64').toString('utf8');
  const url = parseDataUrl(encoded)!;
  return url.base64
    ? Buffer.from(url.payload, 'base64').toString('utf8')
    : (percentDecoded(url.payload) ?? url.payload);
}

/** Encodes checked text back the way `original` held it (same data URL header). */
export function encodeText(text: string, original: string, encoding: TextEncoding): string {
  if (encoding === 'base64') return Buffer.from(text, 'utf8').toString('base64');
  const url = parseDataUrl(original)!;
  return url.base64
    ? `${url.header}${Buffer.from(text, 'utf8').toString('base64')}`
    : `${url.header}${encodeURIComponent(text)}`;
}
