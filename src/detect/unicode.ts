import type { Detector } from '../spec/detector.js';
import type { UnicodeFinding } from '../spec/finding.js';
import type { Severity } from '../spec/severity.js';
import { isAscii } from './is-ascii.js';
import { decodeTagRun, decodeVariationSelectorRun } from './unicode/hidden-payloads.js';
import { findHomoglyphWords } from './unicode/homoglyph-words.js';
import { invisibleKind } from './unicode/invisible.js';
import { nonAsciiFacts } from './unicode/non-ascii-facts.js';

const MAX_FINDINGS = 100;
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Emoji_Component}/u;
const JOINING_SCRIPT_LETTER = /[\p{L}\p{M}]/u;
const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;

interface Run {
  start: number;
  end: number;
  kind: NonNullable<ReturnType<typeof invisibleKind>>;
  count: number;
}

/** Collects maximal runs of invisible code points of the same kind (original offsets). */
function invisibleRuns(text: string, from: number): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  for (let index = from; index < text.length; ) {
    const codePoint = text.codePointAt(index) ?? 0;
    const size = codePoint > 0xffff ? 2 : 1;
    const kind = codePoint < 0xad ? undefined : invisibleKind(codePoint);
    if (kind !== undefined && current?.kind === kind && current.end === index) {
      current.end = index + size;
      current.count++;
    } else if (kind !== undefined) {
      current = { start: index, end: index + size, kind, count: 1 };
      runs.push(current);
    }
    index += size;
  }
  return runs;
}

function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) return text.codePointAt(index - 2);
  return low;
}

function isEmoji(codePoint: number | undefined): boolean {
  return codePoint !== undefined && codePoint > 0xff && EMOJI.test(String.fromCodePoint(codePoint));
}

/** True for ZWJ/ZWNJ between letters of scripts that use them for shaping (Arabic, Persian, Indic). */
function isShapingJoiner(text: string, run: Run): boolean {
  if (run.count !== 1) return false;
  const codePoint = text.codePointAt(run.start);
  if (codePoint !== 0x200c && codePoint !== 0x200d) return false;
  const before = codePointBefore(text, run.start);
  const after = text.codePointAt(run.end);
  const nonLatinLetter = (value: number | undefined) =>
    value !== undefined && value >= 0x370 && JOINING_SCRIPT_LETTER.test(String.fromCodePoint(value));
  return nonLatinLetter(before) || nonLatinLetter(after);
}

function zeroWidthFinding(text: string, run: Run): UnicodeFinding | undefined {
  if (run.start === 0 && run.count === 1 && text.charCodeAt(0) === 0xfeff) return undefined; // byte order mark
  const first = text.codePointAt(run.start);
  if (run.count === 1 && first === 0x200d) {
    if (isEmoji(codePointBefore(text, run.start)) || isEmoji(text.codePointAt(run.end))) return undefined;
  }
  if (isShapingJoiner(text, run)) return undefined;
  const before = codePointBefore(text, run.start);
  const after = text.codePointAt(run.end);
  const insideWord =
    before !== undefined &&
    after !== undefined &&
    /\p{L}/u.test(String.fromCodePoint(before)) &&
    /\p{L}/u.test(String.fromCodePoint(after));
  const severity: Severity = run.count >= 16 ? 'high' : insideWord || run.count >= 4 ? 'medium' : 'low';
  return finding({
    type: 'ZERO_WIDTH',
    run,
    severity,
    score: run.count >= 16 ? 0.95 : insideWord ? 0.8 : 0.5,
    evidence: `${run.count} zero-width character${run.count === 1 ? '' : 's'}${insideWord ? ' inside a word' : ''}`,
  });
}

function tagFinding(text: string, run: Run): UnicodeFinding | undefined {
  const slice = text.slice(run.start, run.end);
  const before = codePointBefore(text, run.start);
  const last = slice.codePointAt(slice.length - 2);
  // Subdivision flags: 🏴 followed by 2–6 tag letters/digits and CANCEL TAG (Unicode TS #51, ED-14c).
  if (before === BLACK_FLAG && last === CANCEL_TAG && run.count <= 7) return undefined;
  const hiddenText = decodeTagRun(slice);
  const carriesText = hiddenText.trim().length >= 2;
  return finding({
    type: 'TAG_CHARACTERS',
    run,
    severity: carriesText ? 'high' : 'medium',
    score: carriesText ? 0.99 : 0.7,
    evidence: `${run.count} tag characters`,
    hiddenText,
  });
}

function variationFinding(text: string, run: Run): UnicodeFinding | undefined {
  // One selector after a base character is ordinary (emoji presentation, CJK ideographic variants).
  if (run.count < 2) return undefined;
  const hiddenText = decodeVariationSelectorRun(text.slice(run.start, run.end));
  return finding({
    type: 'VARIATION_SELECTOR_SMUGGLING',
    run,
    severity: run.count >= 4 ? 'high' : 'medium',
    score: run.count >= 4 ? 0.95 : 0.6,
    evidence: `${run.count} variation selectors in a row`,
    hiddenText,
  });
}

function bidiFinding(text: string, run: Run, rightToLeftText: boolean): UnicodeFinding | undefined {
  const slice = text.slice(run.start, run.end);
  // LRM/RLM/ALM are ordinary marks in right-to-left writing; overrides (LRO/RLO) reorder what a reader sees.
  const override = /[\u202d\u202e]/.test(slice);
  if (!override && !/[\u202a-\u202c\u2066-\u2069]/.test(slice)) return undefined;
  if (!override && rightToLeftText) return undefined;
  return finding({
    type: 'BIDI_OVERRIDE',
    run,
    severity: override ? 'high' : 'medium',
    score: override ? 0.9 : 0.6,
    evidence: `${run.count} bidirectional control character${run.count === 1 ? '' : 's'}`,
  });
}

function finding(options: {
  type: string;
  run: Run;
  severity: Severity;
  score: number;
  evidence: string;
  hiddenText?: string;
}): UnicodeFinding {
  const result: UnicodeFinding = {
    detector: 'unicode',
    family: 'unicode',
    category: 'obfuscation',
    type: options.type,
    severity: options.severity,
    score: options.score,
    start: options.run.start,
    end: options.run.end,
    ruleId: `unicode.${options.type.toLowerCase().replaceAll('_', '-')}`,
    evidence: options.evidence,
  };
  if (options.hiddenText !== undefined && options.hiddenText !== '') result.hiddenText = options.hiddenText;
  return result;
}

/**
 * Finds invisible text (tag characters, zero-width characters, bidi overrides, variation-selector
 * smuggling) and words that mix Latin letters with Cyrillic or Greek lookalikes. Spans are in the
 * original text; ordinary emoji sequences and ordinary non-Latin writing are not reported.
 */
export function createUnicodeDetector(): Detector {
  return {
    id: 'unicode',
    family: 'unicode',
    detect(text) {
      if (isAscii(text)) return [];
      const findings: UnicodeFinding[] = [];
      // One walk answers the three whole-text searches this used to make (invisible, right-to-left, lookalike).
      const facts = nonAsciiFacts(text);
      const firstInvisible = facts.firstInvisible;
      const rightToLeftText = facts.rightToLeft;
      for (const run of firstInvisible < 0 ? [] : invisibleRuns(text, firstInvisible)) {
        let result: UnicodeFinding | undefined;
        if (run.kind === 'zero-width') result = zeroWidthFinding(text, run);
        else if (run.kind === 'tag') result = tagFinding(text, run);
        else if (run.kind === 'variation-selector') result = variationFinding(text, run);
        else if (run.kind === 'bidi') result = bidiFinding(text, run, rightToLeftText);
        if (result) findings.push(result);
        if (findings.length >= MAX_FINDINGS) return findings;
      }
      // Without a lookalike, `findHomoglyphWords` finds nothing.
      const words = facts.lookalike ? findHomoglyphWords(text, MAX_FINDINGS - findings.length) : [];
      for (const word of words) {
        findings.push({
          detector: 'unicode',
          family: 'unicode',
          category: 'obfuscation',
          type: 'MIXED_SCRIPT_HOMOGLYPH',
          severity: word.lookalikes >= 2 ? 'medium' : 'low',
          score: word.lookalikes >= 2 ? 0.85 : 0.6,
          start: word.start,
          end: word.end,
          ruleId: 'unicode.mixed-script-homoglyph',
          evidence: `"${word.skeleton.slice(0, 40)}" written with ${word.lookalikes} lookalike letter${word.lookalikes === 1 ? '' : 's'}`,
        });
      }
      return findings.sort((left, right) => left.start - right.start);
    },
  };
}
