import {
  scanToolDefinition,
  type ToolDefinitionScan,
} from '../../detect/tool-poisoning/scan-tool-definition.js';
import { createToolEvidence } from '../../detect/tool-poisoning/tool-evidence.js';
import type { Guard, Vault } from '../../guard/types.js';
import { ERROR_CODES } from '../../spec/errors.js';
import type { Finding } from '../../spec/finding.js';
import type { GuardMessage } from '../../spec/role.js';
import { type Action, actionRank, type Verdict } from '../../spec/verdict.js';
import type { GatewayConfig } from '../config/gateway-config-schema.js';
import { gatewayError } from '../http/api-error.js';
import { type ToolDefinitionSlot, toolSlotText } from '../providers/tool-definition-slots.js';
import type { CleanTextCache } from './clean-text-cache.js';
import { failsOpen } from './fail-mode.js';
import { type FindingSummary, summarizeFinding } from './findings-summary.js';

/** What the gateway does with tool definitions: block poisoned ones, only record them, or not check. */
export type ToolDefinitionMode = GatewayConfig['tools']['definitions'];

/** A finding in a tool definition, as shown to callers and written to the audit log (no values). */
export interface ToolFindingSummary extends FindingSummary {
  /** `response-format` for a text of a structured-output schema (`field` then holds the whole path). */
  source: 'tool-definition' | 'response-format';
  /**
   * Index of the tool in the request's `tools` (legacy `functions` follow the tools), or in `list`; absent
   * for a structured-output schema, which is no tool.
   */
  tool?: number;
  /** For a tool of a listing sent back as input (`input[2].tools`) or in an answer: where the list is. */
  list?: string;
  /** The tool's declared name, when it is a plain identifier. */
  toolName?: string;
  /** Where in the tool the text sits, e.g. `function.parameters.properties.path.description`. */
  field: string;
}

/** What the tool-definition check decided. */
export interface ToolDefinitionResult {
  action: Action;
  findings: ToolFindingSummary[];
  /** True when a description was redacted in place (the body must be re-serialised). */
  changed: boolean;
  /** True when a failed check let the request through (fail open); always audited. */
  bypass: boolean;
  reasons: string[];
}

/** Options of `checkToolDefinitions`. */
export interface ToolDefinitionOptions {
  guard: Guard;
  slots: readonly ToolDefinitionSlot[];
  vault: Vault;
  mode: ToolDefinitionMode;
  failMode: GatewayConfig['failMode'];
  cache?: CleanTextCache | undefined;
}

// Cache keys: tool texts found clean by this check. They differ from every message role, so a text found
// clean as a tool description is never taken as clean in another role (which runs other families).
const DESCRIPTION_KEY = 'tool-definition';
const NAME_KEY = 'tool-definition-name';
/** Fail-mode family of the tool-poisoning rules (`failMode.families['tool-poisoning']`). */
const FAMILY = 'tool-poisoning';
const MAX_SUMMARIES = 20;

function summary(finding: Finding, slot: ToolDefinitionSlot): ToolFindingSummary {
  const base = summarizeFinding(finding);
  // The audit log keeps `message` and `role` of a finding: the role tells a schema from a tool, and for
  // a tool `message` is its index.
  if (slot.source === 'response-format')
    return { ...base, role: 'response-format', source: 'response-format', field: slot.field };
  const result: ToolFindingSummary = {
    ...base,
    message: slot.tool,
    role: 'tool-definition',
    source: 'tool-definition',
    tool: slot.tool,
    field: slot.field,
  };
  if (slot.toolName !== undefined) result.toolName = slot.toolName;
  if (slot.list !== undefined) result.list = slot.list;
  return result;
}

function describe(slot: ToolDefinitionSlot): string {
  if (slot.source === 'response-format') return slot.field;
  const name = slot.toolName === undefined ? '' : ` (${slot.toolName})`;
  return `${slot.list ?? 'tools'}[${slot.tool}]${name} ${slot.field}`;
}

/** The summary of a finding in a tool text, and the tool and field it names (shared with tool listings). */
export { describe as describeToolSlot, summary as toolFindingSummary };

/** The secrets family over the descriptions: the policy's own action (redact or block) and redaction. */
function checkSecrets(options: ToolDefinitionOptions, texts: GuardMessage[], vault: Vault): Verdict {
  // Tool definitions are written by the application, like its system prompt, so the secrets check runs
  // with that role; `detectors` keeps it to the secrets family whatever the policy runs on system text.
  return options.guard.check(texts, { vault, detectors: ['secrets'] });
}

/**
 * Checks the texts of the declared tools before the request leaves: the tool-poisoning rules on every
 * description, schema text and parameter name, and the policy's secrets family on the descriptions. In
 * `block` mode a poisoned tool or a secret the policy blocks refuses the request with
 * `AEGIS_INPUT_BLOCKED` (findings name the tool and field, never a value), and secrets the policy redacts
 * are replaced in place; in `monitor` mode everything is recorded and nothing changes. Texts found clean
 * are remembered, so the same tools sent on every request are checked once.
 */
export function checkToolDefinitions(options: ToolDefinitionOptions): ToolDefinitionResult | undefined {
  if (options.mode === 'off') return undefined;
  const cache = options.cache;
  const pending: ToolDefinitionSlot[] = [];
  for (const slot of options.slots) {
    if (cache?.has(slot.identifier ? NAME_KEY : DESCRIPTION_KEY, toolSlotText(slot)) !== true)
      pending.push(slot);
  }
  if (pending.length === 0) return undefined;
  const monitor = options.mode === 'monitor';
  const findings: ToolFindingSummary[] = [];
  const reasons: string[] = [];
  const dirty = new Set<number>();
  let poisoned = false;
  // Secrets first: the descriptions (not parameter names) in one guard call.
  const described: number[] = [];
  const texts: GuardMessage[] = [];
  for (let index = 0; index < pending.length; index++) {
    if (pending[index]!.identifier) continue;
    described.push(index);
    texts.push({ role: 'system', content: toolSlotText(pending[index]!) });
  }
  let verdict: Verdict | undefined;
  let bypass = false;
  try {
    // A monitor-only check must not create placeholders for values it leaves in place.
    verdict =
      texts.length === 0
        ? undefined
        : checkSecrets(options, texts, monitor ? options.guard.createVault() : options.vault);
  } catch (error) {
    if (!failsOpen(options.failMode, 'secrets'))
      throw gatewayError(
        ERROR_CODES.GUARD_FAILED,
        'the tool-definition check failed; request refused (fail closed)',
        {
          cause: error instanceof Error ? error.name : 'unknown',
        },
      );
    bypass = true;
  }
  if (verdict !== undefined) {
    if (verdict.errors !== undefined && verdict.errors.length > 0) bypass = true;
    for (let index = 0; index < verdict.findings.length; index++) {
      const slotIndex = described[verdict.messageIndex?.[index] ?? 0]!;
      dirty.add(slotIndex);
      if (findings.length < MAX_SUMMARIES)
        findings.push(summary(verdict.findings[index]!, pending[slotIndex]!));
    }
  }
  try {
    const scans: ToolDefinitionScan[] = [];
    const evidence = createToolEvidence();
    for (let index = 0; index < pending.length; index++) {
      const slot = pending[index]!;
      scans.push(scanToolDefinition(toolSlotText(slot), { identifier: slot.identifier }));
      evidence.add(slot.group ?? slot.tool, scans[index]!.findings);
      // A text with weak signals is never remembered as clean: its tool may add the rest later.
      if (scans[index]!.findings.length > 0) dirty.add(index);
    }
    for (let index = 0; index < pending.length; index++) {
      const slot = pending[index]!;
      const scan = scans[index]!;
      // Signals below the threshold (over all texts of the tool) are evidence, not findings (as weak
      // injection signals are dropped).
      if (scan.findings.length === 0 || !(scan.poisoned || evidence.poisoned(slot.group ?? slot.tool)))
        continue;
      poisoned = true;
      dirty.add(index);
      reasons.push(
        `${describe(slot)}: tool poisoning (${scan.findings.map((finding) => finding.ruleId).join(', ')})`,
      );
      for (const finding of scan.findings)
        if (findings.length < MAX_SUMMARIES) findings.push(summary(finding, slot));
    }
  } catch (error) {
    if (!failsOpen(options.failMode, FAMILY))
      throw gatewayError(
        ERROR_CODES.GUARD_FAILED,
        'the tool-definition check failed; request refused (fail closed)',
        {
          cause: error instanceof Error ? error.name : 'unknown',
        },
      );
    bypass = true;
  }
  const secretsAction: Action = verdict?.action ?? 'allow';
  if (!monitor && (poisoned || secretsAction === 'block')) {
    if (secretsAction === 'block')
      reasons.push(...verdict!.reasons.map((reason) => `tool definitions: ${reason}`));
    throw gatewayError(ERROR_CODES.INPUT_BLOCKED, `request blocked by policy: ${reasons.join('; ')}`, {
      findings,
    });
  }
  let changed = false;
  if (!monitor && verdict?.redactedMessages !== undefined) {
    for (let index = 0; index < described.length; index++) {
      const content = verdict.redactedMessages[index]?.content;
      const slot = pending[described[index]!]!;
      if (content !== undefined && content !== texts[index]!.content) {
        (slot.container as Record<string | number, unknown>)[slot.key] = content;
        changed = true;
      }
    }
  }
  if (cache && !bypass) {
    for (let index = 0; index < pending.length; index++) {
      const slot = pending[index]!;
      if (!dirty.has(index)) cache.add(slot.identifier ? NAME_KEY : DESCRIPTION_KEY, toolSlotText(slot));
    }
  }
  let action: Action = findings.length > 0 ? 'flag' : 'allow';
  if (!monitor && actionRank(secretsAction) > actionRank(action)) action = secretsAction;
  if (verdict !== undefined && !monitor)
    reasons.push(...verdict.reasons.map((reason) => `tool definitions: ${reason}`));
  if (monitor && findings.length > 0) reasons.push('tool definitions: monitor only');
  return { action, findings, changed, bypass, reasons };
}
