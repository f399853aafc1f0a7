import type { ResponseGuard } from './response-guard.js';
import { type HandledMembers, rewriteUnknownValue } from './rewrite-unknown-value.js';

/**
 * A citation of an Anthropic text block (Anthropic Messages API, "Citations": `char_location`,
 * `page_location`, `content_block_location`, `search_result_location`, `web_search_result_location`).
 * Citations quote the caller's own documents (`cited_text`, `document_title`) or web pages (`url`,
 * `title`): each string is checked like the answer (keys and personal data redacted, placeholders the
 * input guard put into the documents restored) and a `url` as a link, so a cited page cannot carry data
 * out or a markdown image into the caller's client. `encrypted_index` is the provider's opaque reference
 * to the search result: left as sent.
 */
export const CITATION_MEMBERS: HandledMembers = { encrypted_index: 'skip' };

/**
 * The members of each content block type that the block code checks itself (Anthropic Messages API,
 * "Content blocks"): text and thinking (checked text), a thinking `signature` and `redacted_thinking`
 * data (encrypted by the provider, opaque to the caller), tool names (allowlist) and inputs (checked as
 * JSON text), web search results (titles as text, URLs as links; `encrypted_content` opaque). Every other
 * member (an id, `citations`, a member added after this code was written) is walked.
 */
const BLOCK_MEMBERS = new Map<string, HandledMembers>([
  ['text', { text: 'text', citations: CITATION_MEMBERS }],
  ['thinking', { thinking: 'text', signature: 'skip' }],
  ['redacted_thinking', { data: 'skip' }],
  ['tool_use', { name: 'text', input: 'skip' }],
  ['server_tool_use', { name: 'text', input: 'skip' }],
  ['web_search_tool_result', { content: { title: 'text', url: 'text', encrypted_content: 'skip' } }],
]);

/** The members of a known block type that its own code handles (empty for a type it does not know). */
export function handledBlockMembers(type: unknown): HandledMembers {
  return (typeof type === 'string' ? BLOCK_MEMBERS.get(type) : undefined) ?? {};
}

/**
 * Checks every string of a known Anthropic record (a content block, a stream event) besides its `handled`
 * members, whole, restoring placeholders (`rewriteUnknownValue`). False on a violation.
 */
export function guardOtherMembers(options: {
  guard: ResponseGuard;
  record: Record<string, unknown>;
  handled: HandledMembers;
}): boolean {
  const { guard } = options;
  const rewrite = (_path: string, text: string, kind: 'text' | 'json') => guard.wholeText(text, kind);
  return rewriteUnknownValue({ guard, record: options.record, rewrite, handled: options.handled });
}
