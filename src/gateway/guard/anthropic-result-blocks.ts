import type { ResponseGuard } from './response-guard.js';

/**
 * Checks the results of an Anthropic server-side web search (`web_search_tool_result` blocks, Anthropic
 * "Web search tool" docs) before the caller sees them: each result's page title is text from the web,
 * checked and restored like the answer; its URL is checked as a link (an exfiltration URL blocks the
 * answer) and otherwise left as it is. `encrypted_content` is opaque and only the provider reads it.
 * Returns false on a violation (see `guard.violation`).
 */
export function guardWebSearchResults(guard: ResponseGuard, block: Record<string, unknown>): boolean {
  if (!Array.isArray(block.content)) return true;
  for (const result of block.content as unknown[]) {
    if (result === null || typeof result !== 'object') continue;
    const record = result as Record<string, unknown>;
    if (typeof record.title === 'string') {
      const title = guard.wholeText(record.title, 'text');
      if (title === null) return false;
      record.title = title;
    }
    if (typeof record.url === 'string' && guard.wholeText(`<${record.url}>`, 'text') === null) return false;
  }
  return true;
}
