import type { ResponseGuard } from './response-guard.js';
import { rewriteUnknownValue } from './rewrite-unknown-value.js';

/**
 * Anthropic content block types whose members the output guard knows (Anthropic Messages API, "Content
 * blocks"): `text` and `thinking` (checked text), `tool_use` and `server_tool_use` (allowlist, input
 * checked as JSON), `web_search_tool_result` (titles and URLs checked), `redacted_thinking` (its `data` is
 * encrypted by the provider, opaque to the caller: left as sent). A map, so `constructor` is not a type.
 */
export const KNOWN_ANTHROPIC_BLOCKS: ReadonlyMap<string, true> = new Map(
  ['text', 'thinking', 'redacted_thinking', 'tool_use', 'server_tool_use', 'web_search_tool_result'].map(
    (type): [string, true] => [type, true],
  ),
);

/**
 * Checks a content block of a type the guard does not know (`mcp_tool_use`, `code_execution_tool_result`,
 * a type added after this code was written), or a malformed entry where a block belongs: every string in
 * it is checked whole and restored (`rewriteUnknownValue`), and a block's `name` must pass the tool
 * allowlist. `holder[member]` is where the block sits; an entry that is not an object is replaced there.
 * Returns false on a violation.
 */
export function guardUnknownBlock(options: {
  guard: ResponseGuard;
  holder: Record<string, unknown> | unknown[];
  member: string | number;
}): boolean {
  const { guard } = options;
  const holder = options.holder as Record<string | number, unknown>;
  const block = holder[options.member];
  const rewrite = (_path: string, text: string, kind: 'text' | 'json') => guard.wholeText(text, kind);
  if (block !== null && typeof block === 'object' && !Array.isArray(block)) {
    const record = block as Record<string, unknown>;
    return rewriteUnknownValue({ guard, record, rewrite, allowTool: (name) => guard.allowTool(name) });
  }
  const wrapper: Record<string, unknown> = { block };
  if (!rewriteUnknownValue({ guard, record: wrapper, rewrite })) return false;
  holder[options.member] = wrapper.block;
  return true;
}
