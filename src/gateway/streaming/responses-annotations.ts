import type { ResponseGuard } from '../guard/response-guard.js';
import type { HandledMembers } from '../guard/rewrite-unknown-value.js';
import { type RewriteText, recordAt, rewriteMember, wholeSlot } from './responses-text-types.js';
import { rewriteUnknownItem } from './responses-unknown-item.js';

/** The members of a `url_citation` checked below; its others (indexes, a member added later) are walked. */
const URL_CITATION: HandledMembers = { title: 'text', url: 'text' };

/**
 * Passes the texts of one `output_text` annotation (API reference "Responses object",
 * `output_text.annotations`; streamed in `response.output_text.annotation.added`) through `rewrite`.
 * Returns false on a violation.
 *
 * A `url_citation` comes from the provider's web search, but which pages the model cites (and so their
 * titles and URLs) can be steered by text it read, and the caller's client shows both:
 * - `url` is shown as a link, so it is checked as one (an autolink `<url>`): the output checker's link
 *   semantics apply, so a URL that carries data to a host outside the policy's host allowlist is link
 *   exfiltration, a plain URL passes, and a key or personal value inside it is redacted like in the answer.
 * - `title` is the cited page's title, often rendered as Markdown next to the answer: checked as text like
 *   the answer itself (a Markdown image in it would load by itself; keys and personal data are redacted).
 * Every other member, and every string of the other annotation types (`file_citation`,
 * `container_file_citation` and `file_path` name the caller's own files and containers; an annotation type
 * added later), is checked as text too (`rewriteUnknownItem`): ids and file names pass unchanged, a key or
 * a link written there does not.
 */
export function rewriteAnnotation(options: {
  guard: ResponseGuard;
  annotation: unknown;
  itemId: unknown;
  contentIndex: unknown;
  annotationIndex: unknown;
  rewrite: RewriteText;
}): boolean {
  const annotation = recordAt(options.annotation);
  if (annotation === undefined) return true;
  const at = `cite.${numberOr0(options.contentIndex)}.${numberOr0(options.annotationIndex)}`;
  const { guard, itemId, rewrite } = options;
  const citation = annotation.type === 'url_citation';
  const others = { guard, record: annotation, itemId, rewrite, at };
  if (!rewriteUnknownItem(citation ? { ...others, handled: URL_CITATION } : others)) return false;
  if (!citation) return true;
  const title = wholeSlot(options.itemId, `${at}.title`, 'text');
  if (!rewriteMember({ record: annotation, field: 'title', slot: title, rewrite: options.rewrite }))
    return false;
  if (typeof annotation.url !== 'string') return true;
  const checked = options.rewrite(wholeSlot(options.itemId, `${at}.url`, 'text'), `<${annotation.url}>`);
  if (checked === null) return false;
  annotation.url = checked.startsWith('<') && checked.endsWith('>') ? checked.slice(1, -1) : checked;
  return true;
}

/** Passes the annotations of an `output_text` part through `rewrite`; false on a violation. */
export function rewriteAnnotations(options: {
  guard: ResponseGuard;
  part: Record<string, unknown>;
  itemId: unknown;
  contentIndex: unknown;
  rewrite: RewriteText;
}): boolean {
  const annotations = options.part.annotations;
  if (!Array.isArray(annotations)) return true;
  for (let index = 0; index < annotations.length; index++) {
    const annotation = annotations[index];
    if (!rewriteAnnotation({ ...options, annotation, annotationIndex: index })) return false;
  }
  return true;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
