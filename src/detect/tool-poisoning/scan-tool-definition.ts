import type { InjectionFinding } from '../../spec/finding.js';
import { collapseWhitespace } from '../injection/collapse-whitespace.js';
import { normalizeText } from '../normalize.js';
import { CONCEALMENT_RULES } from './concealment-rules.js';
import { EXFILTRATION_RULES } from './exfiltration-rules.js';
import { hiddenCharacterFindings } from './hidden-characters.js';
import { lookalikeView } from './lookalike-view.js';
import { MULTILINGUAL_EXFILTRATION_RULES } from './multilingual-exfiltration-rules.js';
import { separatedLettersView } from './separated-letters-view.js';
import { SHADOWING_RULES } from './shadowing-rules.js';
import type { ToolPoisoningRule } from './tool-poisoning-rule.js';

/** Every pattern rule of the tool-poisoning set, in one list. */
export const TOOL_POISONING_RULES: readonly ToolPoisoningRule[] = Object.freeze([
  ...EXFILTRATION_RULES,
  ...MULTILINGUAL_EXFILTRATION_RULES,
  ...CONCEALMENT_RULES,
  ...SHADOWING_RULES,
]);

/** Combined score at which a tool-definition text counts as poisoned. */
export const TOOL_POISONING_THRESHOLD = 0.5;

/** What `scanToolDefinition` found in one text. */
export interface ToolDefinitionScan {
  /** One finding per rule that fired (spans in the given text). */
  findings: InjectionFinding[];
  /** Noisy-OR of the rule scores (0 when nothing fired). */
  score: number;
  /** True when `score` reaches `TOOL_POISONING_THRESHOLD`. */
  poisoned: boolean;
}

/** Options of `scanToolDefinition`. */
export interface ScanToolDefinitionOptions {
  /**
   * The text is an identifier (a parameter name such as `content_from_reading_ssh_id_rsa`): underscores
   * and hyphens are read as spaces so the phrase rules see its words.
   */
  identifier?: boolean;
}

const CLEAN: ToolDefinitionScan = Object.freeze({
  findings: [],
  score: 0,
  poisoned: false,
}) as ToolDefinitionScan;
const IDENTIFIER_SEPARATORS = /[_-]/g;
/** Right-to-left override (UTS #9): what follows, up to a pop (U+202C) or a line end, shows reversed. */
const RIGHT_TO_LEFT_OVERRIDE = '\u202e';
const REVERSED_SEGMENT = /\u202e([^\u202c\n]{0,4096})/g;

/**
 * The text as a reader sees it when it holds right-to-left overrides: each overridden segment reversed in
 * place (same length, so spans stay within the text). Instructions written backwards behind an override
 * read normally to a reviewer and are caught here too.
 */
function visualOrder(text: string): string {
  return text.replace(
    REVERSED_SEGMENT,
    (_whole, segment: string) => `\u202e${[...segment].reverse().join('')}`,
  );
}

/**
 * Markup that a client renders away or a model reads through: HTML character references (numeric and the
 * few named ones that spell text or spaces), JSON escapes (`\u0074`, `\n`), Markdown emphasis (`*`, and
 * `_` at a word's edge; `_` inside a word such as `id_rsa` is not emphasis). Bounded alternatives only.
 */
const MARKUP =
  /&(?:#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7})|amp|lt|gt|quot|apos|nbsp|Tab|NewLine);|\\u[0-9a-fA-F]{4}|\\[nrt]|\*|(?<!\w)_|_(?!\w)/g;
const MARKUP_HINT = /[&\\*_]/;
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  Tab: ' ',
  NewLine: '\n',
};
/** Zero-width space: `normalizeText` drops it and maps spans back, so padding with it keeps lengths. */
const PADDING = '\u200b';

function decodeMarkup(markup: string): string {
  if (markup === '*' || markup === '_') return '';
  if (markup.startsWith('\\')) {
    if (markup.length === 2) return markup === '\\n' ? '\n' : ' ';
    return String.fromCharCode(Number.parseInt(markup.slice(2), 16));
  }
  const body = markup.slice(1, -1);
  if (!body.startsWith('#')) return NAMED_REFERENCES[body] ?? '';
  const codePoint =
    body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
  return codePoint > 0 && codePoint <= 0xffff ? String.fromCharCode(codePoint) : '';
}

/**
 * The text as the model reads it through markup (see `MARKUP`), padded to the same length with zero-width
 * spaces so spans stay within the text: `Do&nbsp;not&nbsp;tell` or `_Do not tell the user_` read like
 * the plain words.
 */
function plainView(text: string): string {
  return text.replace(MARKUP, (markup) => {
    const decoded = decodeMarkup(markup);
    return decoded + PADDING.repeat(markup.length - decoded.length);
  });
}

function severityOf(score: number): InjectionFinding['severity'] {
  if (score >= TOOL_POISONING_THRESHOLD) return 'high';
  return score >= 0.3 ? 'medium' : 'low';
}

/** Longest text a rule's `followedBy` pattern can match past its start (bounds the search after each match). */
const FOLLOWED_BY_REACH = 200;

/** Full stop, exclamation and question marks and semicolon of Chinese and Japanese: they end a sentence with no space after. */
function isWideSentenceEnd(code: number): boolean {
  return code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0xff1b;
}

/**
 * Characters a word may average within a `followedBy` budget. Bounds each search after a match, so text with
 * no spaces (`~/.ssh/~/.ssh/…`, or Chinese and Japanese, whose words are not spaced) stays linear.
 */
const MAX_WORD_CHARS = 64;

/**
 * Where the words after `from` stop counting for a `followedBy` condition: after `words` more spaces, or at the
 * end of the sentence (a line break, `.`, `!`, `?`, `;` before a space or the end, or `。`, `！`, `？`, `；`; a dot
 * inside a path such as `~/.ssh/id_rsa` does not end it), and at most `MAX_WORD_CHARS` per word. The text's
 * whitespace is collapsed.
 */
function wordsEnd(text: string, from: number, words: number): number {
  let spaces = 0;
  const stop = Math.min(text.length, from + MAX_WORD_CHARS * (words + 1));
  for (let index = from; index < stop; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || isWideSentenceEnd(code)) return index;
    if (code === 32) {
      if (++spaces > words) return index;
    } else if (code === 46 || code === 33 || code === 63 || code === 59) {
      const next = text.charCodeAt(index + 1);
      if (Number.isNaN(next) || next === 32 || next === 10) return index;
    }
  }
  return stop;
}

/**
 * Where the sentence holding `position` starts (after a line break, `.`, `!`, `?`, `;` and a space, or `。`,
 * `！`, `？`, `；`), or `limit` when it starts before it (so each search is bounded by the rule's reach).
 */
function sentenceStart(text: string, position: number, limit: number): number {
  for (let index = position - 1; index > limit; index--) {
    const code = text.charCodeAt(index);
    if (code === 10 || isWideSentenceEnd(code)) return index + 1;
    if (code !== 32) continue;
    const before = text.charCodeAt(index - 1);
    if (before === 46 || before === 33 || before === 63 || before === 59) return index + 1;
  }
  return limit;
}

/** Where the sentence holding `position` ends (as `wordsEnd` has it), or `limit` when it ends after it. */
function sentenceEnd(text: string, position: number, limit: number): number {
  for (let index = position; index < limit; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || isWideSentenceEnd(code)) return index;
    if (code === 46 || code === 33 || code === 63 || code === 59) {
      const next = text.charCodeAt(index + 1);
      if (Number.isNaN(next) || next === 32 || next === 10) return index;
    }
  }
  return limit;
}

/** Where `rule.followedBy` ends when it starts within the rule's word budget after `end`, else undefined. */
function followedByEnd(rule: ToolPoisoningRule, text: string, end: number): number | undefined {
  const limit = wordsEnd(text, end, rule.followedWithin);
  const found = rule.followedBy!.exec(text.slice(end, Math.min(text.length, limit + FOLLOWED_BY_REACH)));
  return found !== null && found.index <= limit - end ? end + found.index + found[0].length : undefined;
}

/** The first match of `rule` in `text` that also meets its `followedBy` and `near` conditions, as [start, end). */
function firstMatch(rule: ToolPoisoningRule, text: string): [number, number] | undefined {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = match.index;
    let end = start + match[0].length;
    if (end === start) pattern.lastIndex++;
    if (rule.followedBy !== undefined) {
      const tail = followedByEnd(rule, text, end);
      if (tail === undefined) continue;
      end = tail;
    }
    if (rule.near === undefined) return [start, end];
    let from = Math.max(0, start - rule.nearChars);
    let to = Math.min(text.length, end + rule.nearChars);
    if (rule.nearSentence) {
      from = sentenceStart(text, start, from);
      to = sentenceEnd(text, end, to);
    }
    const window = text.slice(from, to);
    if (rule.near.test(window) && (rule.alsoNear === undefined || rule.alsoNear.test(window)))
      return [start, end];
  }
  return undefined;
}

/** Runs every pattern rule over one view of a text, adding a finding per rule not yet in `fired`. */
function addRuleFindings(options: {
  text: string;
  identifier: boolean;
  findings: InjectionFinding[];
  fired: Set<string>;
  /** Maps an offset of `text` back to the caller's text, for views that are not the same length. */
  toSource?: (index: number) => number;
}): void {
  // The same view the other detectors use (NFKC, invisible characters removed, lookalikes folded), so
  // zero-width characters or fullwidth letters cannot split a phrase; whitespace collapsed so patterns
  // need one `\s` between words. Spans map back through both steps to the caller's text.
  const normalized = normalizeText(options.text);
  const collapsed = collapseWhitespace(normalized.text);
  const toSource = options.toSource ?? ((index: number) => index);
  for (const rule of TOOL_POISONING_RULES) {
    if (options.fired.has(rule.id) || (rule.identifierOnly && !options.identifier)) continue;
    const span = firstMatch(rule, collapsed.text);
    if (span === undefined) continue;
    options.fired.add(rule.id);
    options.findings.push({
      detector: 'tool-poisoning',
      family: 'injection',
      category: 'indirect-injection',
      type: rule.type,
      severity: severityOf(rule.score),
      score: rule.score,
      start: toSource(normalized.toOriginal(collapsed.toSource(span[0]))),
      end: toSource(normalized.toOriginal(collapsed.toSource(span[1]))),
      ruleId: rule.id,
    });
  }
}

/**
 * Checks one text of a tool definition (a description, a schema description, a parameter name) for tool
 * poisoning: orders to read credentials and pass them on, instructions hidden from the user, shadowing of
 * other tools, hidden characters. These rules are for tool definitions only: they are written for text
 * that should describe a tool, and ordinary user or document text is never run through them.
 */
export function scanToolDefinition(
  text: string,
  options: ScanToolDefinitionOptions = {},
): ToolDefinitionScan {
  const findings = hiddenCharacterFindings(text);
  const identifier = options.identifier === true;
  const source = identifier ? text.replace(IDENTIFIER_SEPARATORS, ' ') : text;
  const fired = new Set<string>();
  addRuleFindings({ text: source, identifier, findings, fired });
  if (source.includes(RIGHT_TO_LEFT_OVERRIDE))
    addRuleFindings({ text: visualOrder(source), identifier, findings, fired });
  const plain = MARKUP_HINT.test(source) ? plainView(source) : source;
  if (plain !== source) addRuleFindings({ text: plain, identifier, findings, fired });
  const readable = lookalikeView(plain);
  if (readable !== plain) addRuleFindings({ text: readable, identifier, findings, fired });
  // Letters broken apart by a repeated separator (`r.e.a.d`, `d-o n-o-t`), joined again; the view is shorter,
  // so its spans map back through `toSource`.
  const separated = separatedLettersView(readable);
  if (separated !== undefined)
    addRuleFindings({
      text: lookalikeView(separated.text),
      identifier,
      findings,
      fired,
      toSource: separated.toSource,
    });
  if (findings.length === 0) return CLEAN;
  let clean = 1;
  for (const finding of findings) clean *= 1 - finding.score;
  const score = 1 - clean;
  return { findings, score, poisoned: score >= TOOL_POISONING_THRESHOLD - 1e-9 };
}
