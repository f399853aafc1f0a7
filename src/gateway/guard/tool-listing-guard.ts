import {
  scanToolDefinition,
  type ToolDefinitionScan,
} from '../../detect/tool-poisoning/scan-tool-definition.js';
import { createToolEvidence } from '../../detect/tool-poisoning/tool-evidence.js';
import type { GatewayConfig } from '../config/gateway-config-schema.js';
import { type ToolDefinitionSlot, toolSlotText } from '../providers/tool-definition-slots.js';
import type { CleanTextCache } from './clean-text-cache.js';
import { failsOpen } from './fail-mode.js';
import {
  describeToolSlot,
  type ToolDefinitionMode,
  type ToolFindingSummary,
  toolFindingSummary,
} from './tool-definition-guard.js';

/** How the output guard treats the tools an answer lists (`tools.definitions` and the fail mode). */
export interface ToolListingOptions {
  mode: ToolDefinitionMode;
  failMode: GatewayConfig['failMode'];
  /** Texts known free of tool poisoning (shared with the input check of declared tools). */
  cache?: CleanTextCache | undefined;
}

/** What `scanToolListing` found in the tools an answer lists. */
export interface ToolListingScan {
  poisoned: boolean;
  /** Findings naming the listing, tool, field and rule; never the text. */
  findings: ToolFindingSummary[];
  reasons: string[];
  /** The check failed and the family fails open: the listing passes, recorded as a bypass. */
  bypass: boolean;
  /** The check failed and the family fails closed: the answer must stop. */
  failed: boolean;
}

/** Fail-mode family of the tool-poisoning rules (`failMode.families['tool-poisoning']`). */
const FAMILY = 'tool-poisoning';
const MAX_SUMMARIES = 20;
// Cache keys of listing texts found free of tool poisoning. Only the poisoning rules run here (the
// listing's secrets and links go through the output guard's text check), so these keys never stand for
// the full tool-definition check; a text that check found clean (its keys) is clean here too.
const LISTING_KEY = 'tool-listing';
const LISTING_NAME_KEY = 'tool-listing-name';
const DESCRIPTION_KEY = 'tool-definition';
const NAME_KEY = 'tool-definition-name';

function known(cache: CleanTextCache, slot: ToolDefinitionSlot): boolean {
  const text = toolSlotText(slot);
  return slot.identifier
    ? cache.has(LISTING_NAME_KEY, text) || cache.has(NAME_KEY, text)
    : cache.has(LISTING_KEY, text) || cache.has(DESCRIPTION_KEY, text);
}

/** Scans every pending text; a tool is poisoned by one text, or by its texts weighed together. */
function scanPending(pending: readonly ToolDefinitionSlot[], result: ToolListingScan): ToolDefinitionScan[] {
  const scans: ToolDefinitionScan[] = [];
  const evidence = createToolEvidence();
  for (const slot of pending) {
    const scan = scanToolDefinition(toolSlotText(slot), { identifier: slot.identifier });
    scans.push(scan);
    evidence.add(slot.group ?? slot.tool, scan.findings);
  }
  for (let index = 0; index < pending.length; index++) {
    const slot = pending[index]!;
    const scan = scans[index]!;
    // Signals below the threshold (over all texts of the tool) are evidence, not findings.
    if (scan.findings.length === 0 || !(scan.poisoned || evidence.poisoned(slot.group ?? slot.tool)))
      continue;
    result.poisoned = true;
    const rules = scan.findings.map((finding) => finding.ruleId).join(', ');
    result.reasons.push(`${describeToolSlot(slot)}: tool poisoning (${rules})`);
    for (const finding of scan.findings)
      if (result.findings.length < MAX_SUMMARIES) result.findings.push(toolFindingSummary(finding, slot));
  }
  return scans;
}

/**
 * The tool-poisoning rules over the tools an answer lists (an MCP server's tools as the provider listed
 * them, tools loaded by tool search): every description, schema text, parameter name and tool name, as
 * for declared tools. Reports only: the output guard decides (block, record). Undefined when every text
 * is known clean, which is the case for a listing seen before.
 */
export function scanToolListing(
  options: ToolListingOptions & { slots: readonly ToolDefinitionSlot[] },
): ToolListingScan | undefined {
  const cache = options.cache;
  const pending = cache === undefined ? options.slots : options.slots.filter((slot) => !known(cache, slot));
  if (pending.length === 0) return undefined;
  const result: ToolListingScan = {
    poisoned: false,
    findings: [],
    reasons: [],
    bypass: false,
    failed: false,
  };
  let scans: ToolDefinitionScan[];
  try {
    scans = scanPending(pending, result);
  } catch {
    if (failsOpen(options.failMode, FAMILY)) result.bypass = true;
    else result.failed = true;
    return result;
  }
  // Only texts without any signal are remembered: a weak one may combine with a text seen later.
  if (cache !== undefined)
    for (let index = 0; index < pending.length; index++) {
      if (scans[index]!.findings.length > 0) continue;
      const slot = pending[index]!;
      cache.add(slot.identifier ? LISTING_NAME_KEY : LISTING_KEY, toolSlotText(slot));
    }
  return result;
}
