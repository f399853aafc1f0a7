import type { Vault } from '../types.js';

/** What an operator replaces. */
export interface RedactionInput {
  /** Finding type, e.g. `EMAIL_ADDRESS`. */
  type: string;
  /** The original text of the span. */
  value: string;
  /** Conversation vault (used by the placeholder operator). */
  vault: Vault;
}

/** Turns a sensitive span into its replacement. */
export interface RedactionOperator {
  readonly name: string;
  apply(input: RedactionInput): string;
}
