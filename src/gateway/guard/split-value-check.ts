import type { FindingSummary } from './findings-summary.js';
import type { OutputCheck, OutputChecker } from './output-checker.js';
import { isPlainWords } from './rewrite-unknown-value.js';

/**
 * A value split so that no single string holds it: a key written as an array of characters
 * (`["A","K","I","A",…]`) or spread over sibling members of one object (`{"a":"AKIAQ4","b":"WJ7N…"}`).
 * Each string alone passes every check; the caller's code puts them back together. The walk of unknown
 * values (`rewriteUnknownValue`) therefore also checks short strings that sit side by side as their
 * concatenation. Only what such a split is for counts there, so ordinary short fields side by side (tags,
 * ids, states) cannot add up to a false finding:
 * - secrets (family `secrets`) and system prompt or canary leaks (category `system-prompt-leak`); a phone
 *   number or e-mail address in pieces is not looked for (dates, ids and counts side by side look like
 *   them far too often);
 * - only a finding that spans at least two pieces: one inside a single piece was found by the check of
 *   that piece already.
 * Pieces are joined as they are (a key in characters; also read from each piece glued to a letter or
 * digit before it, see `gluedViews`; skipped when every piece is lowercase words, which no key format is
 * made of) and, when the request has a system prompt and the pieces are words (no white space, at least
 * four), also with a space between them, since the leak check reads words (`["You","are","the",…]`). A
 * secret found across pieces is redacted in them (the marker goes into the piece where the secret starts,
 * the other pieces lose their part of it); a finding the policy blocks stops the answer. The same check,
 * with every finding counting, reads where two texts of a whole answer meet (`checkTextJunction`).
 */
export interface SplitValueCheck {
  /** The findings that span pieces (secrets, leaks), for the record. */
  findings: FindingSummary[];
  blocked: boolean;
  bypass: boolean;
  reasons: readonly string[];
  /** The pieces with a secret found across them redacted; undefined when nothing is to be redacted. */
  redacted: string[] | undefined;
}

/** Fewest word pieces that are also joined with spaces (a leaked prompt is a run of words). */
const MIN_WORD_PIECES = 4;
const WHITE_SPACE = /\s/;
/** Length of each extra view of the joined pieces (longer than any key format), and most views. */
const VIEW_CHARS = 160;
const MAX_VIEWS = 48;

/** Index of the last entry of `sorted` that is at most `offset` (0 when none). */
function lastAtMost(sorted: readonly number[], offset: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((sorted[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

function isLetterOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The text checked for pieces joined without a separator: the whole join, then (after a line break each)
 * views of it that start at a piece glued to a letter or digit before it. Key formats need a boundary
 * before the key (`xAKIA…` is no AWS key), so a piece in front of a split key (an id, or one the upstream
 * put there on purpose) would hide it in the whole join; each view starts where such a key could start.
 * `at` gives each view's start in the whole join, `offsets` its start in the text.
 */
function gluedViews(pieces: readonly string[], starts: readonly number[], joined: string) {
  let text = joined;
  const at = [0];
  const offsets = [0];
  for (let index = 1; index < pieces.length && at.length <= MAX_VIEWS; index++) {
    const previous = pieces[index - 1] as string;
    const piece = pieces[index] as string;
    if (!isLetterOrDigit(previous.charCodeAt(previous.length - 1)) || !isLetterOrDigit(piece.charCodeAt(0)))
      continue;
    const start = starts[index] ?? 0;
    text += '\n';
    at.push(start);
    offsets.push(text.length);
    text += joined.slice(start, start + VIEW_CHARS);
  }
  return { text, at, offsets };
}

/** Replaces each span (sorted, not overlapping) by one marker, in the first piece it touches. */
function redactPieces(options: {
  pieces: readonly string[];
  starts: readonly number[];
  spans: OutputCheck['redactions'];
}): string[] {
  const { pieces, starts, spans } = options;
  const marked = new Set<number>();
  return pieces.map((piece, index) => {
    const start = starts[index] ?? 0;
    const end = start + piece.length;
    let result = '';
    let position = 0;
    for (const [spanIndex, span] of spans.entries()) {
      if (span.end <= start || span.start >= end) continue;
      result += piece.slice(position, Math.max(0, span.start - start));
      if (!marked.has(spanIndex)) {
        marked.add(spanIndex);
        result += `[REDACTED:${span.type}]`;
      }
      position = Math.min(piece.length, span.end - start);
    }
    return position === 0 && result.length === 0 ? piece : result + piece.slice(position);
  });
}

/** Sorts spans and merges the overlapping ones (views repeat what the whole join holds). */
function mergeSpans(spans: OutputCheck['redactions']): OutputCheck['redactions'] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: OutputCheck['redactions'] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

function checkJoined(options: {
  checker: OutputChecker;
  pieces: readonly string[];
  separator: '' | ' ';
  /** `text`: pieces of answer text, every finding counts and no glued views are added. */
  mode?: 'split' | 'text';
}): SplitValueCheck | undefined {
  const { pieces, separator } = options;
  const text = options.mode === 'text';
  const starts: number[] = [];
  let length = 0;
  for (const piece of pieces) {
    starts.push(length);
    length += piece.length + separator.length;
  }
  const joined = pieces.join(separator);
  const views =
    separator === '' && !text ? gluedViews(pieces, starts, joined) : { text: joined, at: [0], offsets: [0] };
  const result = options.checker.check(views.text);
  if (result.findings.length === 0) {
    // A check that failed closed blocks without findings: nothing unchecked passes.
    if (!result.blocked && !result.bypass) return undefined;
    const { blocked, bypass, reasons } = result;
    return { findings: [], blocked, bypass, reasons, redacted: undefined };
  }
  /** A span of the checked text in the whole join, clipped to the view it starts in. */
  const toJoined = <T extends { start: number; end: number }>(span: T): T => {
    const view = lastAtMost(views.offsets, span.start);
    const offset = views.offsets[view] ?? 0;
    const viewEnd =
      views.offsets[view + 1] === undefined ? views.text.length : (views.offsets[view + 1] ?? 0) - 1;
    const shift = (views.at[view] ?? 0) - offset;
    return { ...span, start: span.start + shift, end: Math.min(span.end, viewEnd) + shift };
  };
  const findings = result.findings
    .filter(
      (finding) =>
        text ||
        finding.category === 'system-prompt-leak' ||
        (separator === '' && finding.family === 'secrets'),
    )
    .map(toJoined)
    .filter(
      (finding) =>
        lastAtMost(starts, finding.start) !== lastAtMost(starts, Math.max(finding.start, finding.end - 1)),
    );
  if (findings.length === 0) return undefined;
  const spans = mergeSpans(
    result.redactions
      .map(toJoined)
      .filter((span) =>
        findings.some(
          (finding) =>
            (text || finding.family === 'secrets') && finding.start < span.end && span.start < finding.end,
        ),
      ),
  );
  return {
    findings,
    blocked: result.blocked,
    bypass: result.bypass,
    reasons: result.reasons,
    redacted: spans.length === 0 ? undefined : redactPieces({ pieces, starts, spans }),
  };
}

/**
 * Checks short strings that sit side by side as one value (see `SplitValueCheck`). Undefined when they
 * hold nothing split across them.
 */
export function checkSplitValue(options: {
  checker: OutputChecker;
  pieces: readonly string[];
}): SplitValueCheck | undefined {
  const { checker, pieces } = options;
  // Lowercase words joined are lowercase letters and `._-` only: no key format is made of them (every
  // one mixes digits or capitals), so only the words check below could find anything there.
  const words = pieces.every(isPlainWords);
  const joined = words ? undefined : checkJoined({ checker, pieces, separator: '' });
  if (joined?.blocked === true || checker.hasSystemPrompt !== true || pieces.length < MIN_WORD_PIECES)
    return joined;
  if (!words) for (const piece of pieces) if (WHITE_SPACE.test(piece)) return joined;
  const leak = checkJoined({ checker, pieces: joined?.redacted ?? pieces, separator: ' ' });
  if (leak === undefined) return joined;
  if (joined === undefined) return leak;
  return {
    findings: [...joined.findings, ...leak.findings],
    blocked: leak.blocked,
    bypass: joined.bypass || leak.bypass,
    reasons: [...joined.reasons, ...leak.reasons],
    redacted: joined.redacted,
  };
}

/**
 * Checks where two texts of one answer meet (two Anthropic `text` blocks, two chat content parts): the
 * end of one and the start of the next as one text, since the caller's client shows them as one. Every
 * finding that spans the junction counts (a key, an address, a markdown image split between them); one
 * inside either text was found by the check of that text. Undefined when nothing spans it.
 */
export function checkTextJunction(options: {
  checker: OutputChecker;
  before: string;
  after: string;
}): SplitValueCheck | undefined {
  const pieces = [options.before, options.after];
  return checkJoined({ checker: options.checker, pieces, separator: '', mode: 'text' });
}
