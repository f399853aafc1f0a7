import { isWhitespace } from '../is-whitespace.js';
import { lineEndWithin } from './line-end-within.js';
import { type OutputMatch, severityForScore, snippet } from './output-match.js';

// Raw HTML that a Markdown renderer or a browser would execute (OWASP XSS prevention cheat sheet).
/** Opening tags worth a look; the attributes are read by hand from the tag text. */
// The tag name is maximal (no letter or digit may follow it), so name and attributes never compete for
// the same characters.
export const HTML_TAG_PATTERN = /<([a-z][a-z0-9]{0,30})(?![a-z0-9])[^<>]{0,2000}>?/gi;
/** Event handler attributes (`onerror=`, `onload=`, …) inside a tag. */
export const EVENT_HANDLER_PATTERN = /[\s"'/]on[a-z]{3,30}\s{0,4}=/i;
/** Script-bearing URL schemes. */
export const SCRIPT_URL_PATTERN =
  /(?:java|vb|live)script\s{0,4}:|data\s{0,4}:\s{0,4}(?:text\/html|image\/svg\+xml|application\/(?:x-)?javascript)/gi;

const HTML_ELEMENTS = new Set([
  'a',
  'applet',
  'audio',
  'base',
  'body',
  'button',
  'details',
  'div',
  'embed',
  'form',
  'frame',
  'iframe',
  'img',
  'input',
  'link',
  'marquee',
  'math',
  'meta',
  'object',
  'select',
  'span',
  'style',
  'svg',
  'script',
  'textarea',
  'video',
]);
const ATTRIBUTE = /\s[a-z-]{1,30}\s{0,4}=/i;
const FOREIGN_ACTION =
  /\saction\s{0,4}=\s{0,4}["']?(?:https?:)?\/\/|\saction\s{0,4}=\s{0,4}["']?\s{0,4}javascript:/i;

interface TagRule {
  type: string;
  score: number;
}

const TAG_RULES: Readonly<Record<string, TagRule>> = {
  script: { type: 'HTML_SCRIPT', score: 0.95 },
  iframe: { type: 'HTML_IFRAME', score: 0.85 },
  frame: { type: 'HTML_IFRAME', score: 0.85 },
  object: { type: 'HTML_EMBED', score: 0.8 },
  embed: { type: 'HTML_EMBED', score: 0.8 },
  applet: { type: 'HTML_EMBED', score: 0.8 },
  base: { type: 'HTML_BASE', score: 0.7 },
};

function match(options: {
  type: string;
  score: number;
  start: number;
  end: number;
  text: string;
}): OutputMatch {
  return {
    ruleId: `output.${options.type.toLowerCase().replace(/_/g, '-')}`,
    type: options.type,
    category: 'improper-output',
    score: options.score,
    severity: severityForScore(options.score),
    start: options.start,
    end: options.end,
    evidence: snippet(options.text, options.start, options.end),
  };
}

/** `<script>` blocks span to their closing tag (bounded); other tags span the tag itself. */
function scriptEnd(text: string, tagEnd: number): number {
  const window = text.slice(tagEnd, tagEnd + 10_000).toLowerCase();
  const close = window.indexOf('</script');
  if (close === -1) return tagEnd;
  const closeEnd = window.indexOf('>', close);
  return tagEnd + (closeEnd === -1 ? close + 8 : closeEnd + 1);
}

/** True when `word` ends at `end` in `text`, ASCII letters compared case-insensitively (as `i` without `u` does). */
function endsWithFolded(text: string, end: number, word: string): boolean {
  if (end < word.length) return false;
  for (let offset = 0; offset < word.length; offset++) {
    let code = text.charCodeAt(end - word.length + offset);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== word.charCodeAt(offset)) return false;
  }
  return true;
}

/**
 * Whether SCRIPT_URL_PATTERN can match: each of its alternatives has a colon preceded by at most four
 * whitespace characters and, before them, `script` or `data` (in any case). Colons are rare, so
 * checking each one is much cheaper than running the pattern over the whole text.
 */
export function scriptUrlPossible(text: string): boolean {
  let colon = text.indexOf(':');
  while (colon >= 0) {
    let end = colon;
    while (end > 0 && colon - end <= 4 && isWhitespace(text.charCodeAt(end - 1))) end--;
    if (colon - end <= 4 && (endsWithFolded(text, end, 'ript') || endsWithFolded(text, end, 'data'))) {
      return true;
    }
    colon = text.indexOf(':', colon + 1);
  }
  return false;
}

/** Script tags, frames, event handlers, form actions, meta refresh and script URLs. */
export function findHtmlPayloads(text: string): OutputMatch[] {
  const found: OutputMatch[] = [];
  // Tags need `<` and script URLs need `:`; without them the patterns cannot match.
  if (text.includes('<'))
    for (const tag of text.matchAll(HTML_TAG_PATTERN)) {
      const rawName = tag[1] ?? '';
      const name = rawName.toLowerCase();
      // PascalCase names that are not HTML elements are components (`<TouchableOpacity onPress={…}>`).
      // Browsers ignore case, so `<Script>` and `<Img OnError=…>` still count.
      if (/^[A-Z][a-z]/.test(rawName) && !HTML_ELEMENTS.has(name)) continue;
      const start = tag.index;
      const tagEnd = start + tag[0].length;
      const body = tag[0];
      const rule = TAG_RULES[name];
      // `<object>`, `<embed>` and `<base>` only matter with attributes (`data=`, `src=`, `href=`).
      if (rule && (name === 'script' || name === 'iframe' || name === 'frame' || ATTRIBUTE.test(body))) {
        const end = name === 'script' ? scriptEnd(text, tagEnd) : tagEnd;
        found.push(match({ ...rule, start, end, text }));
        continue;
      }
      const handler = EVENT_HANDLER_PATTERN.exec(body);
      if (handler) {
        // `onClick={handler}` is a JSX expression, not a string of script: much less dangerous.
        const jsx = body[handler.index + handler[0].length] === '{';
        found.push(match({ type: 'HTML_EVENT_HANDLER', score: jsx ? 0.4 : 0.9, start, end: tagEnd, text }));
        continue;
      }
      if (name === 'form' && FOREIGN_ACTION.test(body)) {
        // A form posting to another site (credential phishing); relative actions stay on the page's origin.
        found.push(match({ type: 'HTML_FORM', score: 0.75, start, end: tagEnd, text }));
      } else if (name === 'meta' && /http-equiv\s{0,4}=\s{0,4}["']?refresh/i.test(body)) {
        found.push(match({ type: 'HTML_META_REFRESH', score: 0.8, start, end: tagEnd, text }));
      }
    }
  if (!scriptUrlPossible(text)) return found;
  for (const scheme of text.matchAll(SCRIPT_URL_PATTERN)) {
    // Only where a URL is expected: after `=`, `(`, a quote or `<`, so prose such as "in JavaScript: …"
    // is left alone.
    const before = text.slice(Math.max(0, scheme.index - 4), scheme.index).trimEnd();
    const previous = before[before.length - 1];
    if (previous === undefined || !'=("\'`<'.includes(previous)) continue;
    const limit = lineEndWithin(text, scheme.index, 500);
    let end = scheme.index + scheme[0].length;
    while (end < limit && !' \t)"\'>`'.includes(text[end] ?? ' ')) end++;
    const isData = scheme[0].toLowerCase().startsWith('data');
    found.push(
      match({
        type: isData ? 'DATA_HTML_URL' : 'JAVASCRIPT_URL',
        score: isData ? 0.8 : 0.9,
        start: scheme.index,
        end,
        text,
      }),
    );
  }
  return found;
}

/** Exported for the ReDoS test. */
export const HTML_PATTERNS: readonly RegExp[] = [
  HTML_TAG_PATTERN,
  EVENT_HANDLER_PATTERN,
  SCRIPT_URL_PATTERN,
  ATTRIBUTE,
  FOREIGN_ACTION,
];
