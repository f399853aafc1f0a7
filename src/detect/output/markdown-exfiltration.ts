import type { HostAllowlist } from './host-allowlist.js';
import { type OutputMatch, severityForScore, snippet } from './output-match.js';

// CommonMark §6.3 (links) and §6.4 (images): `[text](url "title")`, `![alt](url)`, reference definitions
// `[label]: url` (§4.7) used as `![alt][label]`. Bracket contents exclude `[`, `]` and newlines, the URL
// excludes whitespace, `)`, `<`, `>`, so every part ends at one place.
/** Inline images and links: group 1 is `!` for images, group 2 the URL. */
export const INLINE_LINK_PATTERN = /(!?)\[[^[\]\n]{0,1000}\]\([ \t]{0,8}<?([^\s)<>]{1,4096})/g;
/** Reference definitions at the start of a line: group 1 the label, group 2 the URL. */
export const REFERENCE_DEFINITION_PATTERN = /^ {0,3}\[([^[\]\n]{1,200})\]:[ \t]{0,8}<?([^\s<>]{1,4096})/gm;
/** Reference uses: group 1 is `!` for images, group 2 the alt text, group 3 the label (may be empty). */
export const REFERENCE_USE_PATTERN = /(!?)\[([^[\]\n]{1,1000})\](?:\[([^[\]\n]{0,200})\])?/g;
/** Autolinks (CommonMark §6.5): `<https://…>`, group 1 the URL. */
export const AUTOLINK_PATTERN = /<(https?:\/\/[^\s<>]{1,4096})>/gi;
/** `<img … src=…>` in raw HTML, which renders like a Markdown image. */
export const HTML_IMAGE_PATTERN = /<img\b[^<>]{0,2000}>/gi;
const SOURCE_ATTRIBUTE = /\ssrc\s{0,4}=\s{0,4}/i;

export interface UrlFacts {
  host: string;
  /** The query, path or fragment carries data (long, encoded or templated values). */
  carriesData: boolean;
  /** The data looks encoded (base64, hex, percent-encoded runs) or templated. */
  encoded: boolean;
  /** A path segment of 32+ characters: room for data even when it does not look encoded. */
  longPath: boolean;
}

const TOKEN_RUN = /[A-Za-z0-9+/_=-]{24,4096}/g;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2}){3}/;
const HEX_RUN = /^[0-9a-fA-F]{32,}$/;

/**
 * True when a URL part carries encoded data: a long run of base64 that mixes upper case, lower case and
 * digits (slugs such as `intro-to-typescript-generics` do not), a long hex string, or percent-encoded
 * bytes.
 */
function looksEncoded(value: string): boolean {
  if (PERCENT_RUN.test(value)) return true;
  for (const run of value.matchAll(TOKEN_RUN)) {
    const token = run[0];
    if (HEX_RUN.test(token) && /[0-9]/.test(token) && /[a-fA-F]/.test(token)) return true;
    if (/[0-9]/.test(token) && /[A-Z]/.test(token) && /[a-z]/.test(token)) return true;
  }
  return false;
}
const TEMPLATED = /\{[^{}]{0,64}\}|\$[A-Z_]{3,64}|\[[A-Z_ ]{3,64}\]|<[A-Z_ ]{3,64}>/;

/** Parses an absolute http(s) or protocol-relative URL; relative URLs stay on the page's own origin. */
export function urlFacts(raw: string): UrlFacts | undefined {
  const candidate = raw.startsWith('//') ? `https:${raw}` : raw;
  if (!/^https?:\/\//i.test(candidate)) return undefined;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  const query = url.search.length > 1 ? safeDecode(url.search.slice(1)) : '';
  const fragment = url.hash.length > 1 ? url.hash.slice(1) : '';
  const segments = url.pathname.split('/');
  const longSegment = segments.some((segment) => segment.length >= 32);
  const values = query.split('&').map((pair) => pair.slice(pair.indexOf('=') + 1));
  const longValue = values.some((value) => value.length >= 16);
  const encoded =
    looksEncoded(url.search + url.hash) ||
    segments.some((segment) => segment.length >= 24 && looksEncoded(segment)) ||
    TEMPLATED.test(safeDecode(raw));
  const carriesData = query.length >= 24 || longValue || fragment.length >= 24 || encoded;
  return { host: url.hostname, carriesData, encoded, longPath: longSegment };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function judgeImage(options: {
  raw: string;
  start: number;
  allowlist: HostAllowlist;
  text: string;
}): OutputMatch | undefined {
  const facts = urlFacts(options.raw);
  if (!facts || options.allowlist.allows(facts.host)) return undefined;
  // Images load by themselves when rendered: any image to a foreign host leaks at least the fact of reading.
  const score = facts.encoded
    ? 0.97
    : facts.carriesData || facts.longPath || options.raw.includes('?')
      ? 0.92
      : 0.78;
  const end = options.start + options.raw.length;
  return {
    ruleId: 'output.markdown-image-exfiltration',
    type: 'MARKDOWN_IMAGE_EXFILTRATION',
    category: 'improper-output',
    score,
    severity: severityForScore(score),
    start: options.start,
    end,
    host: facts.host,
    evidence: snippet(options.text, options.start, end),
  };
}

/** URL characters that are never percent-encoded and mark neither a query, a fragment nor a template. */
const PLAIN_URL = /^[A-Za-z0-9._~:/@!&'()*+,;=-]{0,4096}$/;

/**
 * True when a link URL cannot carry data, decided without parsing it: no `?` or `#` (so no query or
 * fragment), no `%`, `{`, `$`, `[`, `<` (so nothing encoded or templated), and no piece between slashes
 * of 24 characters or more (path segments after parsing are such pieces, never longer: these
 * characters are not encoded). `urlFacts` would then report `carriesData: false` for any host.
 */
export function linkCannotCarryData(raw: string): boolean {
  if (!PLAIN_URL.test(raw)) return false;
  let pieceStart = 0;
  for (let index = 0; index <= raw.length; index++) {
    if (index < raw.length && raw.charCodeAt(index) !== 47) continue;
    if (index - pieceStart >= 24) return false;
    pieceStart = index + 1;
  }
  return true;
}

function judgeLink(options: {
  raw: string;
  start: number;
  allowlist: HostAllowlist;
  text: string;
}): OutputMatch | undefined {
  // Most links in answers are plain documentation URLs: skip URL parsing when no data can be in them.
  if (linkCannotCarryData(options.raw)) return undefined;
  const facts = urlFacts(options.raw);
  if (!facts?.carriesData || options.allowlist.allows(facts.host)) return undefined;
  // Links need a click, so they score lower than images; encoded or templated data is the tell.
  const score = facts.encoded ? 0.8 : 0.6;
  const end = options.start + options.raw.length;
  return {
    ruleId: 'output.markdown-link-exfiltration',
    type: 'MARKDOWN_LINK_EXFILTRATION',
    category: 'improper-output',
    score,
    severity: severityForScore(score),
    start: options.start,
    end,
    host: facts.host,
    evidence: snippet(options.text, options.start, end),
  };
}

/** Reads a quoted or bare attribute value after `name=` inside one tag, by hand. */
function attributeValue(tag: string, name: RegExp): { value: string; start: number } | undefined {
  const found = name.exec(tag);
  if (!found) return undefined;
  let start = found.index + found[0].length;
  const quote = tag[start];
  let end: number;
  if (quote === '"' || quote === "'") {
    start++;
    end = tag.indexOf(quote, start);
    if (end === -1) return undefined;
  } else {
    end = start;
    while (end < tag.length && !' \t\n\r>"\''.includes(tag[end] ?? ' ')) end++;
  }
  return end > start ? { value: tag.slice(start, end), start } : undefined;
}

/** Where `url` (a group of `match`) starts in the text. */
function urlStart(match: RegExpExecArray, url: string): number {
  return match.index + match[0].lastIndexOf(url);
}

/** Markdown (and HTML) images and links that send data to hosts outside the allowlist. */
export function findMarkdownExfiltration(text: string, allowlist: HostAllowlist): OutputMatch[] {
  const found: OutputMatch[] = [];
  // Each pattern below needs a literal that most text lacks (`](`, `]:`, `<`); a substring search for it
  // skips the scan when it is absent, which cannot miss a match.
  const hasInline = text.includes('](');
  const hasDefinition = text.includes(']:');
  const hasAngle = text.includes('<');
  if (!hasInline && !hasDefinition && !hasAngle) return found;
  if (hasInline)
    for (const match of text.matchAll(INLINE_LINK_PATTERN)) {
      const raw = match[2] ?? '';
      const options = { raw, start: urlStart(match, raw), allowlist, text };
      const result = match[1] === '!' ? judgeImage(options) : judgeLink(options);
      if (result) found.push(result);
    }
  const definitions = hasDefinition ? [...text.matchAll(REFERENCE_DEFINITION_PATTERN)] : [];
  if (definitions.length > 0) {
    const imageLabels = new Set<string>();
    for (const use of text.matchAll(REFERENCE_USE_PATTERN)) {
      if (use[1] !== '!') continue;
      imageLabels.add(((use[3] || use[2]) ?? '').trim().toLowerCase());
    }
    for (const definition of definitions) {
      const raw = definition[2] ?? '';
      const label = (definition[1] ?? '').trim().toLowerCase();
      const options = { raw, start: urlStart(definition, raw), allowlist, text };
      const result = imageLabels.has(label) ? judgeImage(options) : judgeLink(options);
      if (result) found.push(result);
    }
  }
  if (!hasAngle) return found;
  for (const autolink of text.matchAll(AUTOLINK_PATTERN)) {
    const raw = autolink[1] ?? '';
    const result = judgeLink({ raw, start: autolink.index + 1, allowlist, text });
    if (result) found.push(result);
  }
  for (const tag of text.matchAll(HTML_IMAGE_PATTERN)) {
    const value = attributeValue(tag[0], SOURCE_ATTRIBUTE);
    if (!value) continue;
    const raw = value.value;
    const start = tag.index + value.start;
    const result = judgeImage({ raw, start, allowlist, text });
    if (result) found.push(result);
  }
  return found;
}

/** Exported for the ReDoS test. */
export const MARKDOWN_PATTERNS: readonly RegExp[] = [
  INLINE_LINK_PATTERN,
  REFERENCE_DEFINITION_PATTERN,
  REFERENCE_USE_PATTERN,
  AUTOLINK_PATTERN,
  HTML_IMAGE_PATTERN,
  SOURCE_ATTRIBUTE,
  TOKEN_RUN,
  PERCENT_RUN,
  HEX_RUN,
  TEMPLATED,
  PLAIN_URL,
];
