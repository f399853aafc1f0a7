import type { ResponseGuard } from '../guard/response-guard.js';
import { type HandledMembers, rewriteUnknownValue } from '../guard/rewrite-unknown-value.js';
import { type RewriteText, wholeSlot } from './responses-text-types.js';

/**
 * Passes every string of a Responses record the gateway does not know through `rewrite`, each as a whole
 * text under its path (`?` marks these slots): an output item of a new type (its `name` through the tool
 * allowlist), a content part without a known text, a listed MCP tool, and the members of a known item or
 * part that its own code does not handle (`handled`). `at` prefixes the paths when the
 * record sits inside the item `itemId` (`tools.2`). Returns false on a violation.
 */
export function rewriteUnknownItem(options: {
  guard: ResponseGuard;
  record: Record<string, unknown>;
  itemId: unknown;
  rewrite: RewriteText;
  at?: string;
  /** True when the record's own `name` names a tool it calls (an output item). */
  callsTool?: boolean;
  /** For a record of a known type: the members its own code checked, not walked again. */
  handled?: HandledMembers;
}): boolean {
  const { guard, itemId, rewrite } = options;
  const prefix = options.at === undefined ? '?' : `?${options.at}.`;
  const walk: Parameters<typeof rewriteUnknownValue>[0] = {
    guard,
    record: options.record,
    rewrite: (path, text, kind) => rewrite(wholeSlot(itemId, `${prefix}${path}`, kind), text),
  };
  if (options.callsTool === true) walk.allowTool = (name) => guard.allowTool(name);
  if (options.handled !== undefined) walk.handled = options.handled;
  return rewriteUnknownValue(walk);
}
