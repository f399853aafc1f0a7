import type { StreamRestorer, Vault } from '../../guard/types.js';
import { ERROR_CODES, type ErrorCode } from '../../spec/errors.js';
import type { StreamingConfig } from '../config/gateway-config-schema.js';
import { type ToolDefinitionSlot, toolSlotText } from '../providers/tool-definition-slots.js';
import type { FindingSummary } from './findings-summary.js';
import { createJsonTextRestorer, restoreJsonText } from './json-string-restorer.js';
import { applyOutputRedactions, type OutputChecker } from './output-checker.js';
import { checkSplitValue, checkTextJunction, type SplitValueCheck } from './split-value-check.js';
import { createStreamTextGuard, type StreamTextGuard } from './stream-text-guard.js';
import { scanToolListing, type ToolListingOptions } from './tool-listing-guard.js';

/** Longest text, and most texts, that `wholeText` remembers as clean for one response. */
const CLEAN_SHORT_TEXT_CHARS = 128;
const CLEAN_SHORT_TEXTS = 1024;
/**
 * Longer texts are remembered too, up to this length each and this many characters in all: a Responses
 * stream repeats the whole response (echoed tool definitions, metadata) in its snapshot and terminal
 * events. The set holds references to strings the response already holds, within a fixed budget.
 */
const CLEAN_LONG_TEXT_CHARS = 8192;
const CLEAN_LONG_TEXTS_CHARS = 262_144;
/** Longest joined value, and most values, that `splitValue` remembers as clean for one response. */
const CLEAN_SPLIT_CHARS = 1024;
const CLEAN_SPLITS = 256;

/** Why a response was stopped. */
export interface ResponseViolation {
  code: ErrorCode;
  message: string;
  findings: FindingSummary[];
}

/** One guarded text of a response: output guard first (on upstream text), then placeholder restore. */
export interface TextChannel {
  /** Returns the text to send now, or null when the response must stop (see `violation`). */
  push(delta: string): string | null;
  /** Returns the rest of the text, or null on a violation. */
  finish(): string | null;
  /** Everything released so far (restored), for events that repeat the whole text. */
  readonly released: string;
  readonly finished: boolean;
  /** The last characters (up to 256) of the upstream's text once finished (see `StreamTextGuard.tail`). */
  readonly tail: string;
}

/** Options of `createResponseGuard`. */
export interface ResponseGuardOptions {
  checker: OutputChecker;
  streaming: StreamingConfig;
  vault: Vault;
  tools: ReadonlySet<string> | null;
  maxBufferChars: number;
  /** The tool-poisoning check of tools an answer lists (`tools.definitions`); `block` when not given. */
  toolListings?: ToolListingOptions;
}

const DEFAULT_TOOL_LISTINGS: ToolListingOptions = {
  mode: 'block',
  failMode: { default: 'closed', families: {} },
};

/**
 * Per-response guard state shared by the stream transformers and the whole-response processors:
 * text channels (content, tool arguments), the tool allowlist, and the first violation.
 */
export interface ResponseGuard {
  /** A text channel; `json` channels (tool arguments) restore originals JSON-escaped. */
  channel(key: string, kind: 'text' | 'json'): TextChannel;
  existing(key: string): TextChannel | undefined;
  /** Every channel not yet finished, in creation order. */
  openChannels(): [string, TextChannel][];
  /** Records a called tool; returns false (and sets the violation) when it is not allowed. */
  allowTool(name: string): boolean;
  /**
   * Checks the texts of the tools an answer lists (MCP `mcp_list_tools`, tool search) for tool poisoning:
   * returns false (and sets the violation) when the listing must not reach the caller.
   */
  toolListing(slots: readonly ToolDefinitionSlot[]): boolean;
  /** Checks and restores a complete text at once (non-streamed responses); null on a violation. */
  wholeText(text: string, kind: 'text' | 'json'): string | null;
  /**
   * Checks short strings that sit side by side (an array's elements, an object's members) as one value
   * split over them (see `checkSplitValue`): returns the pieces to send (a secret found across them
   * redacted; as sent in `audit` mode), or null on a violation. The pieces are the upstream's own text,
   * each still to be checked on its own.
   */
  splitValue(pieces: readonly string[]): readonly string[] | null;
  /**
   * Checks where two texts of the answer meet (see `checkTextJunction`): returns the two texts (changed
   * when something across the junction is redacted), or null on a violation.
   */
  textJunction(before: string, after: string): readonly string[] | null;
  /**
   * Checks where two streamed texts of the answer meet (`before`: the end of one, `after`: the start of
   * the next; each checked on its own by its channel), before either part is sent. Anything the policy
   * blocks or redacts across the junction stops the response: a redaction there would change text that
   * events repeating the first text already carry. False on a violation; `audit` mode records only.
   */
  streamJunction(before: string, after: string): boolean;
  /**
   * Restores the placeholders of this request in a text the upstream echoes from the request itself (the
   * Responses `instructions`): the caller's own text, already checked as input, so not checked again.
   */
  restoreEcho(text: string): string;
  /**
   * Output the guard cannot check (an unknown item past the bounds of its walk) fails closed: the
   * response stops with `AEGIS_OUTPUT_BLOCKED`, or in `audit` mode passes as a recorded bypass.
   * Returns false when the response must stop.
   */
  uncheckable(reason: string): boolean;
  readonly violation: ResponseViolation | undefined;
  /** All findings seen (deduplicated). */
  findings(): FindingSummary[];
  /** Characters of text released to the caller over all channels (a token estimate for streams). */
  releasedChars(): number;
  readonly bypass: boolean;
  /** True when output redaction replaced part of a text. */
  readonly redacted: boolean;
  /** True when `wholeText` changed a text (restored or redacted): the body must be re-serialised. */
  readonly changed: boolean;
  readonly mode: StreamingConfig['mode'];
}

/** Creates the output-side guard state of one response. */
export function createResponseGuard(options: ResponseGuardOptions): ResponseGuard {
  const channels = new Map<string, TextChannel & { guard: StreamTextGuard }>();
  let violation: ResponseViolation | undefined;
  let bypassWhole = false;
  let changed = false;
  let redactedWhole = false;
  const wholeFindings: FindingSummary[] = [];
  /**
   * Short texts `wholeText` found clean (no finding, nothing restored). Ids, states and titles repeat in
   * every event that carries an item, and the check of a text depends only on the text (same checker, same
   * vault for the whole response), so a repeat gets the same answer without a second check.
   */
  let cleanShortTexts: Set<string> | undefined;
  /** Characters of the longer texts in `cleanShortTexts` (see `CLEAN_LONG_TEXTS_CHARS`). */
  let cleanLongChars = 0;
  /** Split values `splitValue` found clean, by their pieces joined with NUL (events repeat items). */
  let cleanSplits: Set<string> | undefined;
  /** Listings already scanned in this response, by their texts (see `toolListing`). */
  let listedTexts: Set<string> | undefined;

  function violate(code: ErrorCode, message: string, findings: FindingSummary[]): null {
    if (violation === undefined) violation = { code, message, findings };
    return null;
  }

  /** Records what a check of pieces found and gives back the pieces to send, or null on a violation. */
  function splitOutcome(result: SplitValueCheck, pieces: readonly string[]): readonly string[] | null {
    if (result.bypass) bypassWhole = true;
    for (const finding of result.findings) wholeFindings.push(finding);
    if (result.blocked && options.streaming.mode !== 'audit') {
      return violate(
        ERROR_CODES.OUTPUT_BLOCKED,
        `response blocked by policy: a value split over several strings: ${result.reasons.join('; ')}`,
        result.findings,
      );
    }
    if (options.streaming.mode === 'audit' || result.redacted === undefined) return pieces;
    redactedWhole = true;
    changed = true;
    return result.redacted;
  }

  function makeChannel(kind: 'text' | 'json'): TextChannel & { guard: StreamTextGuard } {
    const guard = createStreamTextGuard({
      checker: options.checker,
      streaming: options.streaming,
      maxBufferChars: options.maxBufferChars,
    });
    const restorer: StreamRestorer =
      kind === 'json' ? createJsonTextRestorer(options.vault) : options.vault.createRestorer();
    let released = '';
    let finished = false;
    const blocked = (reasons: readonly string[], findings: FindingSummary[]): null =>
      violate(ERROR_CODES.OUTPUT_BLOCKED, `response blocked by policy: ${reasons.join('; ')}`, findings);
    return {
      guard,
      push(delta) {
        if (violation !== undefined) return null;
        const result = guard.push(delta);
        if (result.violation) return blocked(result.violation.reasons, result.violation.findings);
        if (result.text.length === 0) return '';
        const text = restorer.push(result.text);
        released += text;
        return text;
      },
      finish() {
        if (violation !== undefined) return null;
        finished = true;
        const result = guard.finish();
        if (result.violation) return blocked(result.violation.reasons, result.violation.findings);
        const text = (result.text.length === 0 ? '' : restorer.push(result.text)) + restorer.flush();
        released += text;
        return text;
      },
      get released() {
        return released;
      },
      get finished() {
        return finished;
      },
      get tail() {
        return guard.tail;
      },
    };
  }

  return {
    channel(key, kind) {
      let channel = channels.get(key);
      if (channel === undefined) {
        channel = makeChannel(kind);
        channels.set(key, channel);
      }
      return channel;
    },
    existing: (key) => channels.get(key),
    openChannels() {
      const open: [string, TextChannel][] = [];
      for (const entry of channels) if (!entry[1].finished) open.push(entry);
      return open;
    },
    allowTool(name) {
      if (options.tools === null || options.tools.has(name)) return true;
      violate(
        ERROR_CODES.TOOL_NOT_ALLOWED,
        `the model called tool ${JSON.stringify(name.slice(0, 128))}, which is not allowed`,
        [],
      );
      return false;
    },
    toolListing(slots) {
      if (violation !== undefined) return false;
      const listings = options.toolListings ?? DEFAULT_TOOL_LISTINGS;
      if (listings.mode === 'off') return true;
      // A stream repeats a listing (item added, item done, the final snapshot): the same listing is
      // scanned, and its findings recorded, once per response.
      let key = '';
      for (const slot of slots) key += `${slot.identifier ? '\u0001' : '\u0002'}${toolSlotText(slot)}`;
      listedTexts ??= new Set();
      if (listedTexts.has(key)) return true;
      listedTexts.add(key);
      const scan = scanToolListing({ ...listings, slots });
      if (scan === undefined) return true;
      if (scan.failed && options.streaming.mode !== 'audit') {
        violate(ERROR_CODES.OUTPUT_BLOCKED, 'the tool-listing check failed (fail closed)', []);
        return false;
      }
      if (scan.bypass || scan.failed) bypassWhole = true;
      for (const finding of scan.findings) wholeFindings.push(finding);
      // As for every output rule: `monitor` (and the `audit` streaming mode) records and lets it through.
      if (scan.poisoned && listings.mode === 'block' && options.streaming.mode !== 'audit') {
        violate(
          ERROR_CODES.OUTPUT_BLOCKED,
          `response blocked by policy: ${scan.reasons.join('; ')}`,
          scan.findings,
        );
        return false;
      }
      return true;
    },
    restoreEcho(text) {
      const restored = options.vault.restore(text);
      if (restored !== text) changed = true;
      return restored;
    },
    uncheckable(reason) {
      if (violation !== undefined) return false;
      if (options.streaming.mode === 'audit') {
        bypassWhole = true;
        return true;
      }
      violate(ERROR_CODES.OUTPUT_BLOCKED, `response blocked: ${reason}`, []);
      return false;
    },
    wholeText(text, kind) {
      if (violation !== undefined) return null;
      if (cleanShortTexts?.has(text) === true) return text;
      const result = options.checker.check(text);
      if (result.bypass) bypassWhole = true;
      for (const finding of result.findings) wholeFindings.push(finding);
      if (result.blocked && options.streaming.mode !== 'audit') {
        return violate(
          ERROR_CODES.OUTPUT_BLOCKED,
          `response blocked by policy: ${result.reasons.join('; ')}`,
          result.findings,
        );
      }
      const redacted =
        options.streaming.mode === 'audit' ? text : applyOutputRedactions(text, result.redactions);
      if (redacted !== text) redactedWhole = true;
      const restored =
        kind === 'json' ? restoreJsonText(options.vault, redacted) : options.vault.restore(redacted);
      if (restored !== text) changed = true;
      else if (result.findings.length === 0 && !result.bypass) {
        cleanShortTexts ??= new Set();
        if (text.length <= CLEAN_SHORT_TEXT_CHARS) {
          if (cleanShortTexts.size < CLEAN_SHORT_TEXTS) cleanShortTexts.add(text);
        } else if (
          text.length <= CLEAN_LONG_TEXT_CHARS &&
          cleanLongChars + text.length <= CLEAN_LONG_TEXTS_CHARS
        ) {
          cleanLongChars += text.length;
          cleanShortTexts.add(text);
        }
      }
      return restored;
    },
    splitValue(pieces) {
      if (violation !== undefined) return null;
      const key = pieces.join('\u0000');
      if (cleanSplits?.has(key) === true) return pieces;
      const result = checkSplitValue({ checker: options.checker, pieces });
      if (result === undefined) {
        cleanSplits ??= new Set();
        if (key.length <= CLEAN_SPLIT_CHARS && cleanSplits.size < CLEAN_SPLITS) cleanSplits.add(key);
        return pieces;
      }
      return splitOutcome(result, pieces);
    },
    textJunction(before, after) {
      if (violation !== undefined) return null;
      const pieces = [before, after];
      const result = checkTextJunction({ checker: options.checker, before, after });
      return result === undefined ? pieces : splitOutcome(result, pieces);
    },
    streamJunction(before, after) {
      if (violation !== undefined) return false;
      if (before.length === 0 || after.length === 0) return true;
      const result = checkTextJunction({ checker: options.checker, before, after });
      if (result === undefined) return true;
      if (result.bypass) bypassWhole = true;
      for (const finding of result.findings) wholeFindings.push(finding);
      if (options.streaming.mode === 'audit' || (!result.blocked && result.redacted === undefined))
        return true;
      violate(
        ERROR_CODES.OUTPUT_BLOCKED,
        `response blocked by policy: text across two streamed texts: ${result.reasons.join('; ') || 'redaction needed'}`,
        result.findings,
      );
      return false;
    },
    get violation() {
      return violation;
    },

    findings() {
      const all: FindingSummary[] = [...wholeFindings];
      for (const channel of channels.values()) all.push(...channel.guard.findings);
      return all.slice(0, 20);
    },
    get bypass() {
      if (bypassWhole) return true;
      for (const channel of channels.values()) if (channel.guard.bypass) return true;
      return false;
    },
    get redacted() {
      if (redactedWhole) return true;
      for (const channel of channels.values()) if (channel.guard.redacted) return true;
      return false;
    },
    get changed() {
      return changed;
    },
    releasedChars() {
      let total = 0;
      for (const channel of channels.values()) total += channel.released.length;
      return total;
    },
    mode: options.streaming.mode,
  };
}
