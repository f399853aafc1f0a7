import type { Guard, Vault } from '../../guard/types.js';
import { ERROR_CODES } from '../../spec/errors.js';
import type { GuardMessage } from '../../spec/role.js';
import { type Action, actionRank, type Verdict } from '../../spec/verdict.js';
import type { GatewayConfig } from '../config/gateway-config-schema.js';
import { gatewayError } from '../http/api-error.js';
import { type ExtractedRequest, joinSlotTexts, setSlotText, slotText } from '../providers/text-slot.js';
import type { CleanTextCache } from './clean-text-cache.js';
import { failsOpen } from './fail-mode.js';
import { type FindingSummary, summarizeFindings } from './findings-summary.js';
import {
  checkToolDefinitions,
  type ToolDefinitionMode,
  type ToolDefinitionResult,
} from './tool-definition-guard.js';

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
  /**
   * When the guard found something: the texts as checked (before redaction), the slot of each and the
   * verdict with its spans, so the audit copy can mask the values the policy let through.
   */
  checked?: { messages: readonly GuardMessage[]; slotIndex: readonly number[]; verdict: Verdict };
}

/** Options of `runInputGuard`. */
export interface InputGuardOptions {
  guard: Guard;
  extracted: ExtractedRequest;
  vault: Vault;
  failMode: GatewayConfig['failMode'];
  /** Texts already found clean by this guard; skipped, and clean texts are added. */
  cache?: CleanTextCache | undefined;
  /** The check of declared tool definitions (`tools.definitions`); `block` when not given. */
  toolDefinitions?: ToolDefinitionMode;
}

const ALLOW: InputGuardResult = Object.freeze({
  action: 'allow',
  findings: [],
  changed: false,
  bypass: false,
  reasons: [],
  redactions: 0,
}) as InputGuardResult;

/** The texts of a request still to check (known-clean texts skipped), and where each came from. */
interface PendingCheck {
  messages: GuardMessage[];
  roles: string[];
  /** Index of the slot each checked message came from. */
  slotIndex: number[];
}

function pendingCheck(options: InputGuardOptions): PendingCheck | undefined {
  const { slots } = options.extracted;
  if (slots.length === 0) return undefined;
  const cache = options.cache;
  const pending: PendingCheck = { messages: [], roles: [], slotIndex: [] };
  for (let index = 0; index < slots.length; index++) {
    const slot = slots[index]!;
    const content = slotText(slot);
    if (cache?.has(slot.role, content)) continue;
    pending.messages.push({ role: slot.role, content });
    pending.roles.push(slot.role);
    pending.slotIndex.push(index);
  }
  return pending.messages.length === 0 ? undefined : pending;
}

/** A failed check: the request goes through (fail open, audited) or is refused (fail closed). */
function guardFailed(options: InputGuardOptions, error: unknown): InputGuardResult {
  if (failsOpen(options.failMode)) return { ...ALLOW, bypass: true, reasons: ['guard failed; fail-open'] };
  throw gatewayError(ERROR_CODES.GUARD_FAILED, 'the input check failed; request refused (fail closed)', {
    cause: error instanceof Error ? error.name : 'unknown',
  });
}

/**
 * Checks every text of a request with its role in one guard call, writes redacted texts back into the
 * parsed body, and throws `AEGIS_INPUT_BLOCKED` (findings summarised, no values) on a block.
 */
export function runInputGuard(options: InputGuardOptions): InputGuardResult {
  const tools = toolDefinitionCheck(options);
  const pending = pendingCheck(options);
  if (pending === undefined) return withToolDefinitions(options, ALLOW, tools);
  let verdict: Verdict;
  try {
    // No system prompt in the context: leak detection is an output concern, and without it a message's
    // verdict depends on its role and text only, which is what makes the clean-text cache exact.
    verdict = options.guard.check(pending.messages, { vault: options.vault });
  } catch (error) {
    return withToolDefinitions(options, guardFailed(options, error), tools);
  }
  return withToolDefinitions(options, applyVerdict(options, pending, verdict), tools);
}

/**
 * `runInputGuard` with the guard's asynchronous back-ends too (`guard.checkAsync`: a local ONNX
 * classifier, an LLM judge), for gateways configured with them.
 */
export async function runInputGuardAsync(options: InputGuardOptions): Promise<InputGuardResult> {
  const tools = toolDefinitionCheck(options);
  const pending = pendingCheck(options);
  if (pending === undefined) return withToolDefinitions(options, ALLOW, tools);
  let verdict: Verdict;
  try {
    verdict = await options.guard.checkAsync(pending.messages, { vault: options.vault });
  } catch (error) {
    return withToolDefinitions(options, guardFailed(options, error), tools);
  }
  return withToolDefinitions(options, applyVerdict(options, pending, verdict), tools);
}

/**
 * The check of the request's declared tools (tool poisoning, secrets), before its messages: a poisoned
 * tool refuses the request whatever the messages say. Undefined on the common path (no tools declared).
 */
function toolDefinitionCheck(options: InputGuardOptions): ToolDefinitionResult | undefined {
  const slots = options.extracted.toolTexts;
  if (slots === undefined) return undefined;
  return checkToolDefinitions({
    guard: options.guard,
    slots,
    vault: options.vault,
    mode: options.toolDefinitions ?? 'block',
    failMode: options.failMode,
    cache: options.cache,
  });
}

/** The messages' result with the tool-definition result folded in (the stricter action wins). */
function withToolDefinitions(
  options: InputGuardOptions,
  result: InputGuardResult,
  tools: ToolDefinitionResult | undefined,
): InputGuardResult {
  if (tools === undefined) return result;
  return {
    ...result,
    action: actionRank(tools.action) > actionRank(result.action) ? tools.action : result.action,
    findings: [...tools.findings, ...result.findings],
    changed: result.changed || tools.changed,
    bypass: result.bypass || tools.bypass,
    reasons: [...tools.reasons, ...result.reasons],
    redactions: options.vault.size,
  };
}

function applyVerdict(options: InputGuardOptions, pending: PendingCheck, verdict: Verdict): InputGuardResult {
  const { messages, roles, slotIndex } = pending;
  const slots = options.extracted.slots;
  const cache = options.cache;
  const findings = verdict.findings.length === 0 ? [] : summarizeFindings(verdict, roles);
  for (const finding of findings) {
    if (finding.message !== undefined) finding.message = slotIndex[finding.message] ?? finding.message;
  }
  if (verdict.action === 'block') {
    const reasons = verdict.reasons.map((reason) => inRequestOrder(reason, slotIndex));
    throw gatewayError(ERROR_CODES.INPUT_BLOCKED, `request blocked by policy: ${reasons.join('; ')}`, {
      findings,
    });
  }
  let changed = false;
  const redacted = verdict.redactedMessages;
  if (redacted !== undefined) {
    for (let index = 0; index < messages.length; index++) {
      const content = redacted[index]?.content;
      if (content !== undefined && content !== messages[index]!.content) {
        setSlotText(slots[slotIndex[index]!]!, content);
        changed = true;
      }
    }
  }
  // PII in a system prompt leaves as placeholders: the model can only repeat the prompt that way, so the
  // output guard's leak check compares answers with the prompt as the upstream saw it.
  const promptSlots = options.extracted.systemPromptSlots;
  if (changed && promptSlots !== undefined) options.extracted.systemPrompt = joinSlotTexts(promptSlots);
  const failed = verdict.errors !== undefined && verdict.errors.length > 0;
  if (cache && !failed) rememberClean({ cache, messages, verdict });
  const result: InputGuardResult = {
    action: verdict.action,
    findings,
    changed,
    bypass: failed,
    reasons: verdict.reasons,
    redactions: options.vault.size,
  };
  if (verdict.findings.length > 0) result.checked = { messages, slotIndex, verdict };
  return result;
}

/**
 * A guard reason (`messages[i] …`, `i` counting only the texts checked now) with the index of that text
 * in the request, as the findings give it: texts skipped as known clean must not shift it.
 */
function inRequestOrder(reason: string, slotIndex: readonly number[]): string {
  const prefix = 'messages[';
  if (!reason.startsWith(prefix)) return reason;
  const close = reason.indexOf(']', prefix.length);
  const checked = Number(reason.slice(prefix.length, close));
  const index = close === -1 || !Number.isInteger(checked) ? undefined : slotIndex[checked];
  return index === undefined ? reason : `${prefix}${index}${reason.slice(close)}`;
}

function rememberClean(options: { cache: CleanTextCache; messages: GuardMessage[]; verdict: Verdict }): void {
  const { verdict } = options;
  if (verdict.findings.length > 0 && verdict.messageIndex === undefined) return;
  const flagged = new Set(verdict.messageIndex ?? []);
  for (let index = 0; index < options.messages.length; index++) {
    const message = options.messages[index]!;
    if (!flagged.has(index)) options.cache.add(message.role, message.content);
  }
}
