import type { SealedPayload } from './audit-cipher.js';

/** The verdict action names (see src/spec/verdict.ts), kept as strings so the log accepts any stage. */
export type AuditAction = string;

/** Anything finding-shaped; only the safe summary fields below are kept, never evidence or raw text. */
export interface FindingLike {
  type: string;
  severity: string;
  score: number;
  detector?: string;
  start?: number;
  end?: number;
  family?: string;
  category?: string;
  ruleId?: string;
  /** Index of the message the finding came from, and its role. */
  message?: number;
  role?: string;
  /** Where in a tool definition or schema (a path of identifiers), its list and the tool's name. */
  field?: string;
  list?: string;
  toolName?: string;
}

/** A finding as recorded: what fired, how badly, and where — no value. */
export interface FindingSummary {
  detector?: string;
  family?: string;
  category?: string;
  type: string;
  ruleId?: string;
  severity: string;
  score: number;
  /** Span in the checked text (offsets only, never the text). */
  start?: number;
  end?: number;
  message?: number;
  role?: string;
  /** For a tool-definition finding: field path, list and tool name (identifiers, never the text). */
  field?: string;
  list?: string;
  toolName?: string;
}

/** One guard stage (input or output) as recorded. */
export interface StageSummary {
  action: AuditAction;
  findings: FindingSummary[];
  /** Findings beyond the recorded maximum. */
  omittedFindings?: number;
}

/** What the gateway reports for one request. */
export interface AuditEntry {
  /** The `x-request-id` of the request. */
  requestId: string;
  /** When the request arrived (ISO string or ms since epoch); default: now. */
  time?: string | number;
  keyId?: string | null;
  method?: string;
  route: string;
  model?: string | null;
  upstream?: string | null;
  status: number;
  latencyMs: number;
  streamed?: boolean;
  input?: { action: AuditAction; findings?: readonly FindingLike[] } | null;
  output?: { action: AuditAction; findings?: readonly FindingLike[] } | null;
  tokens?: { input?: number; output?: number } | null;
  /** Stable error code when the request failed or was refused. */
  errorCode?: string | null;
  /** Checks that were skipped or failed open, and why (every bypass is audited). */
  bypasses?: readonly { detector?: string; family?: string; reason: string }[];
  /**
   * Request/response content. `redacted` is stored as is in `redacted` mode (the caller passes text with
   * sensitive values already replaced by placeholders); `full` only in `full` mode, encrypted.
   * Serialised (`JSON.stringify`) by `append`: later changes to it are not recorded.
   */
  payload?: { redacted?: unknown; full?: unknown };
}

/** A record as hashed and stored. */
export interface AuditRecord {
  sequence: number;
  id: string;
  time: string;
  requestId: string;
  keyId: string | null;
  method: string | null;
  route: string;
  model: string | null;
  upstream: string | null;
  status: number;
  latencyMs: number;
  streamed: boolean;
  input: StageSummary | null;
  output: StageSummary | null;
  tokens: { input: number; output: number } | null;
  errorCode: string | null;
  bypasses: { detector?: string; family?: string; reason: string }[];
  payload?: { redacted: unknown } | { encrypted: SealedPayload } | { omitted: string };
}

/** A stored record with its chain links, as `tail` and `export` return it. */
export interface StoredAuditRecord extends AuditRecord {
  prevHash: string;
  hash: string;
}

const MAX_FINDINGS = 100;
const MAX_TEXT = 200;

function text(value: unknown, fallback = ''): string {
  const result =
    typeof value === 'string' ? value : value === undefined || value === null ? fallback : String(value);
  return result.length > MAX_TEXT ? `${result.slice(0, MAX_TEXT)}…` : result;
}

function optionalText(value: unknown): string | null {
  return value === undefined || value === null ? null : text(value);
}

function finite(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

// Rounded to 0.001; a value so large that scaling overflows stays as it is (still finite), since a
// non-finite number cannot be put in canonical JSON and would stop the batch it is in.
function thousandths(value: unknown): number {
  const number = finite(value);
  const rounded = Math.round(number * 1000) / 1000;
  return Number.isFinite(rounded) ? rounded : number;
}

function optionalInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : undefined;
}

function summarizeFinding(finding: FindingLike): FindingSummary {
  return {
    detector: finding.detector === undefined ? undefined : text(finding.detector),
    family: finding.family === undefined ? undefined : text(finding.family),
    category: finding.category === undefined ? undefined : text(finding.category),
    type: text(finding.type),
    ruleId: finding.ruleId === undefined ? undefined : text(finding.ruleId),
    severity: text(finding.severity),
    score: thousandths(finding.score),
    start: optionalInteger(finding.start),
    end: optionalInteger(finding.end),
    message: optionalInteger(finding.message),
    role: finding.role === undefined ? undefined : text(finding.role),
    field: finding.field === undefined ? undefined : text(finding.field),
    list: finding.list === undefined ? undefined : text(finding.list),
    toolName: finding.toolName === undefined ? undefined : text(finding.toolName),
  };
}

/** Keeps the safe summary of a guard stage: no evidence, hidden text or values. */
export function summarizeStage(
  stage: { action: AuditAction; findings?: readonly FindingLike[] } | null | undefined,
): StageSummary | null {
  if (stage === undefined || stage === null) return null;
  const findings = stage.findings ?? [];
  const summary: StageSummary = {
    action: text(stage.action),
    findings: findings.slice(0, MAX_FINDINGS).map(summarizeFinding),
  };
  if (findings.length > MAX_FINDINGS) summary.omittedFindings = findings.length - MAX_FINDINGS;
  return summary;
}

/** Builds the record body (everything except sequence and payload) from a gateway entry. */
export function toRecordBody(
  entry: AuditEntry,
  options: { id: string; now: number },
): Omit<AuditRecord, 'sequence' | 'payload'> {
  const time =
    typeof entry.time === 'number'
      ? new Date(entry.time).toISOString()
      : typeof entry.time === 'string'
        ? text(entry.time)
        : new Date(options.now).toISOString();
  return {
    id: options.id,
    time,
    requestId: text(entry.requestId),
    keyId: optionalText(entry.keyId),
    method: optionalText(entry.method),
    route: text(entry.route),
    model: optionalText(entry.model),
    upstream: optionalText(entry.upstream),
    status: Math.trunc(finite(entry.status)),
    latencyMs: thousandths(entry.latencyMs),
    streamed: entry.streamed === true,
    input: summarizeStage(entry.input),
    output: summarizeStage(entry.output),
    tokens:
      entry.tokens === undefined || entry.tokens === null
        ? null
        : { input: Math.trunc(finite(entry.tokens.input)), output: Math.trunc(finite(entry.tokens.output)) },
    errorCode: optionalText(entry.errorCode),
    bypasses: (entry.bypasses ?? []).slice(0, MAX_FINDINGS).map((bypass) => ({
      detector: bypass.detector === undefined ? undefined : text(bypass.detector),
      family: bypass.family === undefined ? undefined : text(bypass.family),
      reason: text(bypass.reason),
    })),
  };
}
