import type { Guard } from '../../guard/types.js';
import type { Finding } from '../../spec/finding.js';
import type { Verdict } from '../../spec/verdict.js';
import type { GatewayConfig } from '../config/gateway-config-schema.js';
import { failsOpen } from './fail-mode.js';
import { type FindingSummary, summarizeFindings } from './findings-summary.js';

/** Result of checking one piece of model output. */
export interface OutputCheck {
  /** True when the text must not reach the caller. */
  blocked: boolean;
  /** Spans to replace when the policy redacts output (sorted, non-overlapping). */
  redactions: { start: number; end: number; type: string }[];
  findings: FindingSummary[];
  reasons: string[];
  /** True when a failed check let the text through (fail open). */
  bypass: boolean;
}

/** Checks model output (role `assistant`) with the request's system prompt for leak detection. */
export interface OutputChecker {
  check(text: string): OutputCheck;
  /** True when the request has a system prompt, so output is also checked for leaking it. */
  readonly hasSystemPrompt?: boolean;
}

/** Options of `createOutputChecker`. */
export interface OutputCheckerOptions {
  guard: Guard;
  failMode: GatewayConfig['failMode'];
  systemPrompt?: string;
}

const CLEAN: OutputCheck = Object.freeze({
  blocked: false,
  redactions: [],
  findings: [],
  reasons: [],
  bypass: false,
}) as OutputCheck;

function redactionSpans(verdict: Verdict): OutputCheck['redactions'] {
  const spans: OutputCheck['redactions'] = [];
  for (const finding of verdict.findings as Finding[]) {
    if (finding.family === 'pii' || finding.family === 'secrets') {
      spans.push({ start: finding.start, end: finding.end, type: finding.type });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: OutputCheck['redactions'] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** Replaces redaction spans with a visible marker (not a placeholder, so restore cannot undo it). */
export function applyOutputRedactions(
  text: string,
  redactions: OutputCheck['redactions'],
  offset = 0,
): string {
  if (redactions.length === 0) return text;
  let result = '';
  let position = 0;
  for (const span of redactions) {
    const start = span.start - offset;
    const end = span.end - offset;
    if (end <= position || start >= text.length) continue;
    result += text.slice(position, Math.max(start, position));
    result += `[REDACTED:${span.type}]`;
    position = Math.min(end, text.length);
  }
  return result + text.slice(position);
}

/** Creates the output checker for one request. */
export function createOutputChecker(options: OutputCheckerOptions): OutputChecker {
  const checkOptions: Parameters<Guard['check']>[1] = { role: 'assistant' };
  if (options.systemPrompt !== undefined) checkOptions.systemPrompt = options.systemPrompt;
  return {
    hasSystemPrompt: options.systemPrompt !== undefined && options.systemPrompt.length > 0,
    check(text: string): OutputCheck {
      if (text.length === 0) return CLEAN;
      let verdict: Verdict;
      try {
        verdict = options.guard.check(text, checkOptions);
      } catch {
        if (failsOpen(options.failMode, 'output'))
          return { ...CLEAN, bypass: true, reasons: ['guard failed; fail-open'] };
        return { ...CLEAN, blocked: true, reasons: ['the output check failed (fail closed)'] };
      }
      if (verdict.action === 'allow' && verdict.findings.length === 0) return CLEAN;
      return {
        blocked: verdict.action === 'block',
        redactions: verdict.action === 'redact' ? redactionSpans(verdict) : [],
        findings: summarizeFindings(verdict),
        reasons: verdict.reasons,
        bypass: verdict.errors !== undefined && verdict.errors.length > 0 && verdict.action !== 'block',
      };
    },
  };
}
