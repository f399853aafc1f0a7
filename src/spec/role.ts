/**
 * Who wrote a piece of text. `document` and `tool` texts are untrusted data (retrieved documents, tool
 * results) and are judged for indirect injection; `assistant` text is model output.
 */
export const ROLES = ['user', 'system', 'document', 'tool', 'assistant'] as const;
export type Role = (typeof ROLES)[number];

/** A chat message as the guard sees it. */
export interface GuardMessage {
  role: Role;
  content: string;
}

/** True for roles whose text is untrusted data rather than instructions. */
export function isDataRole(role: Role): boolean {
  return role === 'document' || role === 'tool';
}
