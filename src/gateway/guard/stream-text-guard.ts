import type { StreamingConfig } from '../config/gateway-config-schema.js';
import type { FindingSummary } from './findings-summary.js';
import { applyOutputRedactions, type OutputCheck, type OutputChecker } from './output-checker.js';
import { JUNCTION_CHARS } from './text-junctions.js';

/** Text that may be sent now, or the violation that ends the stream. */
export interface StreamRelease {
  text: string;
  violation?: OutputCheck;
}

/** Guards one streamed text (a choice's content or a tool call's arguments). */
export interface StreamTextGuard {
  push(delta: string): StreamRelease;
  /** Releases what is left once the text is complete. */
  finish(): StreamRelease;
  /** Findings seen so far (deduplicated), for audit. */
  readonly findings: FindingSummary[];
  /** True when a failed check let text through. */
  readonly bypass: boolean;
  /** True when output redaction replaced part of the text. */
  readonly redacted: boolean;
  /**
   * The last characters (up to 256) of the text as the upstream sent it, once `finish` was called: what
   * is checked with the start of the next text where two texts of an answer meet.
   */
  readonly tail: string;
}

/** Options of `createStreamTextGuard`. */
export interface StreamTextGuardOptions {
  checker: OutputChecker;
  streaming: StreamingConfig;
  /** Most characters `buffer` mode holds (and `audit` mode records); beyond it the stream fails closed. */
  maxBufferChars: number;
}

const NOTHING: StreamRelease = Object.freeze({ text: '' }) as StreamRelease;
const MAX_FINDINGS = 20;
/** Smallest releasable prefix worth a check (bounds checks per streamed character). */
const MIN_RELEASE_CHARS = 32;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9 || code === 12;
}

/** True when `<` at `index` can start an HTML tag (`<a`, `</`, `<!`), unlike `a < b` in code or prose. */
function startsTag(text: string, index: number): boolean {
  if (index + 1 >= text.length) return true;
  const code = text.charCodeAt(index + 1);
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 47 || code === 33;
}

/**
 * The largest prefix of `pending` that can be released: at least `holdback` characters stay behind,
 * the cut falls after whitespace (never inside a URL, key or other token), and before any markdown
 * link/image or HTML tag that is still open — so nothing a detector needs is released half-seen.
 */
export function safeCut(pending: string, holdback: number): number {
  let cut = pending.length - holdback;
  if (cut <= 0) return 0;
  while (cut > 0 && !isSpace(pending.charCodeAt(cut - 1))) cut--;
  if (cut === 0) return 0;
  const bracket = pending.lastIndexOf('[', cut - 1);
  if (bracket !== -1) {
    const close = pending.indexOf(']', bracket);
    const open =
      close === -1 ||
      close === pending.length - 1 ||
      (pending.charCodeAt(close + 1) === 40 && pending.indexOf(')', close) === -1);
    if (open) cut = bracket > 0 && pending.charCodeAt(bracket - 1) === 33 ? bracket - 1 : bracket;
  }
  const angle = cut > 0 ? pending.lastIndexOf('<', cut - 1) : -1;
  if (angle !== -1 && startsTag(pending, angle) && pending.indexOf('>', angle) === -1) cut = angle;
  return cut;
}

/**
 * Output guard for streamed text. `window` (default): check the held text plus an overlap of released
 * text on every release and send only the final prefix, so no unchecked text leaves and a forbidden
 * item split over many chunks is caught before any of it is sent. `buffer`: release everything after
 * one check of the whole text. `audit`: pass through, check at the end, record only.
 */
export function createStreamTextGuard(options: StreamTextGuardOptions): StreamTextGuard {
  const { checker, streaming, maxBufferChars } = options;
  const findings: FindingSummary[] = [];
  const seenRules = new Set<string>();
  let pending = '';
  let context = '';
  let bypass = false;
  let redacted = false;
  let tail = '';

  function record(result: OutputCheck): void {
    if (result.bypass) bypass = true;
    for (const finding of result.findings) {
      const key = `${finding.ruleId}\u0000${finding.type}`;
      if (seenRules.has(key) || findings.length >= MAX_FINDINGS) continue;
      seenRules.add(key);
      findings.push(finding);
    }
  }

  function tooLarge(): StreamRelease {
    return {
      text: '',
      violation: {
        blocked: true,
        redactions: [],
        findings: [],
        reasons: [`streamed text exceeds ${maxBufferChars} characters held for checking`],
        bypass: false,
      },
    };
  }

  function release(cut: number): StreamRelease {
    const result = checker.check(context + pending);
    record(result);
    if (result.blocked) return { text: '', violation: result };
    let end = cut;
    for (const span of result.redactions) {
      const start = span.start - context.length;
      if (start < end && span.end - context.length > end) end = Math.max(0, start);
    }
    const raw = pending.slice(0, end);
    const text = applyOutputRedactions(raw, result.redactions, context.length);
    if (text !== raw) redacted = true;
    pending = pending.slice(end);
    context = (context + raw).slice(-streaming.overlapChars);
    return text.length === 0 ? NOTHING : { text };
  }

  return {
    push(delta: string): StreamRelease {
      if (delta.length === 0) return NOTHING;
      if (streaming.mode === 'audit') {
        if (pending.length < maxBufferChars) pending += delta;
        return { text: delta };
      }
      pending += delta;
      if (streaming.mode === 'buffer') return pending.length > maxBufferChars ? tooLarge() : NOTHING;
      let cut = safeCut(pending, streaming.holdbackChars);
      // Checking on every token would re-scan the window each time; release in steps of a few words.
      if (cut > 0 && cut < MIN_RELEASE_CHARS) return NOTHING;
      if (cut <= 0) {
        if (pending.length <= streaming.maxHoldChars) return NOTHING;
        cut = pending.length - streaming.holdbackChars;
      }
      return release(cut);
    },
    finish(): StreamRelease {
      if (streaming.mode === 'audit') {
        record(checker.check(pending));
        pending = '';
        return NOTHING;
      }
      tail = (context + pending).slice(-JUNCTION_CHARS);
      return pending.length === 0 ? NOTHING : release(pending.length);
    },
    findings,
    get bypass() {
      return bypass;
    },
    get redacted() {
      return redacted;
    },
    get tail() {
      return tail;
    },
  };
}
