import type { Guard, Vault } from '../../guard/types.js';
import { ERROR_CODES } from '../../spec/errors.js';
import type { GuardMessage } from '../../spec/role.js';
import type { Action, Verdict } from '../../spec/verdict.js';
import type { GatewayConfig } from '../config/gateway-config-schema.js';
import { gatewayError } from '../http/api-error.js';
import { type ExtractedRequest, setSlotText, slotText } from '../providers/text-slot.js';
import { failsOpen } from './fail-mode.js';
import { type FindingSummary, summarizeFindings } from './findings-summary.js';

/** What the input stage decided. */
export interface InputGuardResult {
  action: Action;
  findings: FindingSummary[];
  /** True when redaction rewrote a text (the body must be re-serialised). */
  changed: boolean;
  /** True when a failed check let the request through (fail open); always audited. */
  bypass: boolean;
  reasons: string[];
  /** Placeholders created for this request. */
  redactions: number;
}

/** Options of `runInputGuard`. */
export interface InputGuardOptions {
  guard: Guard;
  extracted: ExtractedRequest;
  vault: Vault;
  failMode: GatewayConfig['failMode'];
}

const ALLOW: InputGuardResult = Object.freeze({
  action: 'allow',
  findings: [],
  changed: false,
  bypass: false,
  reasons: [],
  redactions: 0,
}) as InputGuardResult;

/**
 * Checks every text of a request with its role in one guard call, writes redacted texts back into the
 * parsed body, and throws `AEGIS_INPUT_BLOCKED` (findings summarised, no values) on a block.
 */
export function runInputGuard(options: InputGuardOptions): InputGuardResult {
  const { slots } = options.extracted;
  if (slots.length === 0) return ALLOW;
  const messages: GuardMessage[] = new Array(slots.length);
  const roles: string[] = new Array(slots.length);
  for (let index = 0; index < slots.length; index++) {
    const slot = slots[index]!;
    messages[index] = { role: slot.role, content: slotText(slot) };
    roles[index] = slot.role;
  }
  let verdict: Verdict;
  try {
    const checkOptions: Parameters<Guard['check']>[1] = { vault: options.vault };
    if (options.extracted.systemPrompt !== undefined)
      checkOptions.systemPrompt = options.extracted.systemPrompt;
    verdict = options.guard.check(messages, checkOptions);
  } catch (error) {
    if (failsOpen(options.failMode)) return { ...ALLOW, bypass: true, reasons: ['guard failed; fail-open'] };
    throw gatewayError(ERROR_CODES.GUARD_FAILED, 'the input check failed; request refused (fail closed)', {
      cause: error instanceof Error ? error.name : 'unknown',
    });
  }
  const findings = verdict.findings.length === 0 ? [] : summarizeFindings(verdict, roles);
  if (verdict.action === 'block') {
    throw gatewayError(
      ERROR_CODES.INPUT_BLOCKED,
      `request blocked by policy: ${verdict.reasons.join('; ')}`,
      {
        findings,
      },
    );
  }
  let changed = false;
  const redacted = verdict.redactedMessages;
  if (redacted !== undefined) {
    for (let index = 0; index < slots.length; index++) {
      const content = redacted[index]?.content;
      if (content !== undefined && content !== messages[index]!.content) {
        setSlotText(slots[index]!, content);
        changed = true;
      }
    }
  }
  return {
    action: verdict.action,
    findings,
    changed,
    bypass: verdict.errors !== undefined && verdict.errors.length > 0,
    reasons: verdict.reasons,
    redactions: options.vault.size,
  };
}
