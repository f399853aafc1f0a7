import type { Finding } from '../../spec/finding.js';
import type { GuardMessage } from '../../spec/role.js';
import type { Verdict } from '../../spec/verdict.js';
import { type ExtractedRequest, slotText } from '../providers/text-slot.js';
import { auditMask, type MaskSpan, maskRepeatedValues, maskSpans } from './mask-spans.js';
import type { SensitiveScan } from './scan-sensitive-texts.js';

/** What the input guard saw: the texts it checked (before redaction), their slots, and its verdict. */
export interface CheckedTexts {
  messages: readonly GuardMessage[];
  /** Index in `extracted.slots` of each checked message. */
  slotIndex: readonly number[];
  verdict: Verdict;
}

/** Options of `redactedAuditPayload`. */
export interface RedactedAuditPayloadOptions {
  /** The parsed body as it leaves for the upstream (redacted by the input guard). Never modified. */
  body: Record<string, unknown>;
  extracted: ExtractedRequest;
  /** Present when the input guard found something. */
  checked?: CheckedTexts | undefined;
  /** True when a failed check let the request through (fail open): its findings are not complete. */
  bypass: boolean;
  /** PII and secrets detection for strings the input guard does not check. */
  scan: SensitiveScan;
}

/**
 * Members that hold identifiers and settings (`role`, `type`, `model`, ids, tool names, enums), kept in
 * the audit copy when their value looks like one. Any other string the input guard does not check is
 * scanned for PII and secrets before it is stored.
 */
const IDENTIFIER_KEYS = new Set([
  'model',
  'role',
  'type',
  'object',
  'status',
  'id',
  'name',
  'call_id',
  'tool_call_id',
  'tool_use_id',
  'previous_response_id',
  'detail',
  'format',
  'media_type',
  'reasoning_effort',
  'service_tier',
  'tool_choice',
  'truncation',
  'verbosity',
  'encoding_format',
  'ttl',
]);

/** The patterns of the audit copy, exported so that a test can prove them safe from ReDoS. */
export const AUDIT_PAYLOAD_PATTERNS = {
  // Anchored, one bounded character class: linear on any input.
  identifierValue: /^[A-Za-z0-9][A-Za-z0-9_.:/+-]{0,127}$/,
  // Member names that hold credentials (MCP server tokens and headers: Responses `tools[].authorization`
  // and `headers`, Anthropic `mcp_servers[].authorization_token`). Their values are often opaque, which
  // no detector recognises, so an unchecked string under such a name is masked whatever it looks like.
  credentialKey: /authori[sz]ation|token|secret|passw(?:or)?d|api[-_]?key|cookie|credential/i,
} as const;
const IDENTIFIER_VALUE = AUDIT_PAYLOAD_PATTERNS.identifierValue;
const CREDENTIAL_KEY = AUDIT_PAYLOAD_PATTERNS.credentialKey;

/** Unchecked strings longer than this are not scanned but stored as their length only. */
const MAX_SCANNED_TEXT = 16_384;
/** Characters of unchecked strings scanned per request; the strings past it are stored as their length. */
const MAX_SCANNED_TOTAL = 262_144;
/** Sensitive findings in one text above which it is masked from its original without further tests. */
const MAX_TESTED_FINDINGS = 64;

/** What stands for a string that is not stored: its length in UTF-16 code units. */
export function omittedText(text: string): string {
  return `[OMITTED:${text.length}]`;
}

function isIdentifier(key: string | number, value: string): boolean {
  return typeof key === 'string' && IDENTIFIER_KEYS.has(key) && IDENTIFIER_VALUE.test(value);
}

function isSensitive(finding: Finding): boolean {
  return (finding.family === 'pii' || finding.family === 'secrets') && finding.end > finding.start;
}

/** Replacement strings by container and key (the copy is built from them). */
type Replacements = Map<object, Map<string | number, string>>;

function put(replacements: Replacements, container: object, key: string | number, text: string): void {
  let row = replacements.get(container);
  if (row === undefined) {
    row = new Map();
    replacements.set(container, row);
  }
  row.set(key, text);
}

/** Calls `visit` for every string of a JSON value with the container and key that hold it. */
function forEachString(
  value: unknown,
  visit: (container: object, key: string | number, text: string) => void,
): void {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      if (typeof item === 'string') visit(value, index, item);
      else if (item !== null && typeof item === 'object') forEachString(item, visit);
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') visit(record, key, item);
      else if (item !== null && typeof item === 'object') forEachString(item, visit);
    }
  }
}

/**
 * Strings of a JSON value that are not identifiers. This runs on every request: no allocation (`for…in`
 * rather than `Object.keys`; an inherited enumerable member would only make the count differ, which
 * sends the request down the exact path).
 */
function countLooseStrings(value: unknown): number {
  let count = 0;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      if (typeof item === 'string') count++;
      else if (item !== null && typeof item === 'object') count += countLooseStrings(item);
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'string') {
        if (!isIdentifier(key, item)) count++;
      } else if (item !== null && typeof item === 'object') count += countLooseStrings(item);
    }
  }
  return count;
}

/**
 * True when the body holds strings that are neither identifiers nor checked texts. Slots are distinct
 * strings of the body (member-name slots, which hold a name rather than a string of the body, are not
 * counted), so comparing counts answers without building a set of them.
 */
function hasUncheckedStrings(body: Record<string, unknown>, extracted: ExtractedRequest): boolean {
  let slotStrings = 0;
  for (const slot of extracted.slots)
    if (slot.renames === undefined && !isIdentifier(slot.key, slotText(slot))) slotStrings++;
  return countLooseStrings(body) !== slotStrings;
}

/**
 * The findings of one checked text to mask in its original, or `undefined` when the text as sent holds
 * none of their values. A text the guard did not change still holds all of them. A redacted one holds
 * those the policy only flagged: their values are still in it, unless a redacted span cut into one, which
 * only overlapping findings allow (then the text is masked from its original).
 */
function spansToMask(original: string, sent: string, findings: readonly Finding[]): Finding[] | undefined {
  const sensitive = findings.filter(isSensitive);
  if (sensitive.length === 0) return undefined;
  if (sent === original) return sensitive;
  let leaks = sensitive.length > MAX_TESTED_FINDINGS || overlapsAny(findings, sensitive);
  for (let index = 0; !leaks && index < sensitive.length; index++) {
    const finding = sensitive[index]!;
    leaks = sent.includes(original.slice(finding.start, finding.end));
  }
  if (!leaks) return undefined;
  // Masked from the original: spans of other families that the policy redacted (their values are gone
  // from the text as sent) must stay hidden too; those it only flagged stay readable.
  const spans = [...sensitive];
  for (const finding of findings) {
    if (isSensitive(finding) || finding.end <= finding.start) continue;
    if (findings.length > MAX_TESTED_FINDINGS || !sent.includes(original.slice(finding.start, finding.end)))
      spans.push(finding);
  }
  return spans;
}

/** True when a sensitive finding overlaps another finding of the same text. */
function overlapsAny(findings: readonly Finding[], sensitive: readonly Finding[]): boolean {
  if (findings.length < 2) return false;
  const marked = new Set<Finding>(sensitive);
  const ordered = [...findings].sort((left, right) => left.start - right.start || left.end - right.end);
  let groupEnd = -1;
  let groupSize = 0;
  let groupSensitive = false;
  let previous: Finding | undefined;
  for (const finding of ordered) {
    // Findings on the same span (an address found as PII and as a secret) are replaced together or kept
    // together: no part of one can survive the other's redaction.
    const sameSpan =
      previous !== undefined && previous.start === finding.start && previous.end === finding.end;
    previous = finding;
    if (sameSpan) groupSensitive ||= marked.has(finding);
    else if (finding.start < groupEnd) {
      groupSize++;
      groupEnd = Math.max(groupEnd, finding.end);
      groupSensitive ||= marked.has(finding);
    } else {
      groupEnd = finding.end;
      groupSize = 1;
      groupSensitive = marked.has(finding);
    }
    if (groupSize > 1 && groupSensitive) return true;
  }
  return false;
}

/** Masks, in the checked texts, the values the guard found and the text as sent still holds. */
function maskCheckedTexts(options: {
  extracted: ExtractedRequest;
  checked: CheckedTexts;
  replacements: Replacements;
}): void {
  const { messages, slotIndex, verdict } = options.checked;
  const byMessage = new Map<number, Finding[]>();
  verdict.findings.forEach((finding, index) => {
    const message = verdict.messageIndex?.[index] ?? 0;
    const list = byMessage.get(message);
    if (list === undefined) byMessage.set(message, [finding]);
    else list.push(finding);
  });
  for (const [message, findings] of byMessage) {
    const original = messages[message]?.content;
    const slot = options.extracted.slots[slotIndex[message] ?? -1];
    if (original === undefined || slot === undefined) continue;
    const spans = spansToMask(original, slotText(slot), findings);
    if (spans === undefined) continue;
    const repeated = spans
      .filter(isSensitive)
      .map((finding) => ({ value: original.slice(finding.start, finding.end), type: finding.type }));
    const masked = maskRepeatedValues(maskSpans(original, spans), repeated);
    put(options.replacements, slot.container, slot.key, masked);
  }
}

/** Masks PII and secrets in the strings the input guard does not check (metadata, user ids, tools, …). */
function maskUncheckedStrings(options: RedactedAuditPayloadOptions, replacements: Replacements): void {
  const { body, extracted } = options;
  const slotKeys = new Map<object, Set<string | number>>();
  for (const slot of extracted.slots) {
    const keys = slotKeys.get(slot.container);
    if (keys === undefined) slotKeys.set(slot.container, new Set([slot.key]));
    else keys.add(slot.key);
  }
  const unchecked: { container: object; key: string | number; text: string }[] = [];
  forEachString(body, (container, key, text) => {
    if (!isIdentifier(key, text) && slotKeys.get(container)?.has(key) !== true)
      unchecked.push({ container, key, text });
  });
  const scanned: typeof unchecked = [];
  let budget = MAX_SCANNED_TOTAL;
  for (const entry of unchecked) {
    if (typeof entry.key === 'string' && CREDENTIAL_KEY.test(entry.key))
      put(replacements, entry.container, entry.key, auditMask('CREDENTIAL'));
    else if (entry.text.length <= MAX_SCANNED_TEXT && entry.text.length <= budget) {
      budget -= entry.text.length;
      scanned.push(entry);
    } else put(replacements, entry.container, entry.key, omittedText(entry.text));
  }
  const spans = options.scan(scanned.map((entry) => entry.text));
  scanned.forEach((entry, index) => {
    const found: MaskSpan[] | undefined = spans?.[index];
    if (found === undefined) put(replacements, entry.container, entry.key, omittedText(entry.text));
    else if (found.length > 0) {
      const repeated = found.map((span) => ({
        value: entry.text.slice(span.start, span.end),
        type: span.type,
      }));
      put(
        replacements,
        entry.container,
        entry.key,
        maskRepeatedValues(maskSpans(entry.text, found), repeated),
      );
    }
  });
}

/** A copy of a JSON value with the replacements applied (null-prototype objects: `__proto__` stays a member). */
function copyWith(value: unknown, replacements: Replacements): unknown {
  if (value === null || typeof value !== 'object') return value;
  const row = replacements.get(value);
  if (Array.isArray(value)) {
    return value.map((item, index) => row?.get(index) ?? copyWith(item, replacements));
  }
  const record = value as Record<string, unknown>;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(record)) copy[key] = row?.get(key) ?? copyWith(record[key], replacements);
  return copy;
}

/** The body with every string that is not an identifier stored as its length only. */
function shapeOnly(body: Record<string, unknown>): unknown {
  const replacements: Replacements = new Map();
  forEachString(body, (container, key, text) => {
    if (!isIdentifier(key, text)) put(replacements, container, key, omittedText(text));
  });
  return copyWith(body, replacements);
}

/**
 * The request body as the audit log's `redacted` payload keeps it: the body as sent when it holds no
 * value the guard found (the common case, returned as is, without a copy); otherwise a copy in which the
 * PII and secrets the guard found but the policy let through (flagged, not redacted) are typed masks
 * (`[REDACTED:EMAIL_ADDRESS]`), and so is what the PII and secrets detectors find in strings the guard
 * does not check. After a check failed open, the findings are not complete: only the body's shape is kept
 * (identifiers, numbers, and `[OMITTED:length]` for every text).
 */
export function redactedAuditPayload(options: RedactedAuditPayloadOptions): unknown {
  if (options.bypass) return shapeOnly(options.body);
  const unchecked = hasUncheckedStrings(options.body, options.extracted);
  // The common case (nothing found, nothing unchecked): the body itself, without any allocation.
  if (options.checked === undefined && !unchecked) return options.body;
  const replacements: Replacements = new Map();
  if (options.checked !== undefined)
    maskCheckedTexts({ extracted: options.extracted, checked: options.checked, replacements });
  if (unchecked) maskUncheckedStrings(options, replacements);
  return replacements.size === 0 ? options.body : copyWith(options.body, replacements);
}
