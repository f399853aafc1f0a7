import type { CheckOptions, Guard } from '../../guard/types.js';
import { ERROR_CODES } from '../../spec/errors.js';
import type { Finding } from '../../spec/finding.js';
import { ROLES, type Role } from '../../spec/role.js';
import type { Verdict } from '../../spec/verdict.js';
import type { InputLine } from './read-lines.js';

/** One output row of `aegis check --format jsonl`. */
export interface ResultRow {
  id: unknown;
  flagged: boolean;
  action: Verdict['action'];
  score: number;
  findings: Pick<Finding, 'detector' | 'category' | 'type' | 'severity' | 'score' | 'start' | 'end'>[];
  errors?: Verdict['errors'];
}

/** The row written for an input line that could not be judged. */
export interface ErrorRow {
  id?: unknown;
  line: number;
  error: { code: string; message: string };
}

/** Outcome of one line: a verdict (and its row) or an error row. */
export type LineOutcome =
  | { kind: 'verdict'; id: unknown; verdict: Verdict; row: ResultRow }
  | { kind: 'error'; row: ErrorRow };

// One decoder reused for every line; `fatal` makes invalid UTF-8 an error instead of U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true });

function lineError(
  line: number,
  code: string,
  message: string,
  id?: unknown,
): Extract<LineOutcome, { kind: 'error' }> {
  return {
    kind: 'error',
    row: id === undefined ? { line, error: { code, message } } : { id, line, error: { code, message } },
  };
}

/** The JSONL row of a verdict. */
export function resultRow(id: unknown, verdict: Verdict): ResultRow {
  const row: ResultRow = {
    id,
    flagged: verdict.action !== 'allow',
    action: verdict.action,
    score: verdict.score,
    findings: verdict.findings.map((finding) => ({
      detector: finding.detector,
      category: finding.category,
      type: finding.type,
      severity: finding.severity,
      score: finding.score,
      start: finding.start,
      end: finding.end,
    })),
  };
  if (verdict.errors) row.errors = verdict.errors;
  return row;
}

/** An input line ready to check: its id, text and role. */
export interface ParsedLine {
  kind: 'text';
  id: unknown;
  text: string;
  role: Role;
}

/** Decodes and parses one input line `{"id","text","role"?}`; blank lines give `undefined`. */
export function parseLine(options: {
  line: InputLine;
  role: Role;
}): ParsedLine | Extract<LineOutcome, { kind: 'error' }> | undefined {
  const { line } = options;
  if (line.tooLong || line.bytes === undefined) {
    return lineError(
      line.number,
      ERROR_CODES.INPUT_TOO_LARGE,
      'line is longer than the --max-line-bytes limit',
    );
  }
  let source: string;
  try {
    source = decoder.decode(line.bytes);
  } catch {
    return lineError(line.number, ERROR_CODES.INVALID_UTF8, 'line is not valid UTF-8');
  }
  if (source.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    return lineError(
      line.number,
      ERROR_CODES.INPUT_LINE_INVALID,
      `malformed JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return lineError(
      line.number,
      ERROR_CODES.INPUT_LINE_INVALID,
      'line must be a JSON object {"id","text","role"?}',
    );
  }
  const record = parsed as Record<string, unknown>;
  const id = typeof record.id === 'string' || typeof record.id === 'number' ? record.id : null;
  if (typeof record.text !== 'string') {
    return lineError(line.number, ERROR_CODES.INPUT_LINE_INVALID, '"text" must be a string', id);
  }
  const role = record.role ?? options.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    return lineError(
      line.number,
      ERROR_CODES.INPUT_LINE_INVALID,
      `"role" must be one of ${ROLES.join(', ')}`,
      id,
    );
  }
  return { kind: 'text', id, text: record.text, role: role as Role };
}

/** Decodes, parses and checks one input line `{"id","text","role"?}`. */
export function judgeLine(options: {
  line: InputLine;
  guard: Guard;
  role: Role;
  /** Detector filter, system prompt and canaries shared by every line. */
  checkOptions: Omit<CheckOptions, 'role' | 'vault'>;
}): LineOutcome | undefined {
  const { guard } = options;
  const parsed = parseLine(options);
  if (parsed === undefined || parsed.kind === 'error') return parsed;
  // A fresh vault per line: rows are independent and memory must not grow with the input.
  const verdict = guard.check(parsed.text, {
    role: parsed.role,
    vault: guard.createVault(),
    ...options.checkOptions,
  });
  return { kind: 'verdict', id: parsed.id, verdict, row: resultRow(parsed.id, verdict) };
}
