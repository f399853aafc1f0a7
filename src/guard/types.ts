import type { Finding } from '../spec/finding.js';
import type { GuardMessage, Role } from '../spec/role.js';
import type { Verdict } from '../spec/verdict.js';

/**
 * Incremental restorer for streamed text: `push` returns the text that can be released now
 * (placeholders restored), holding back a suffix that may be the start of a placeholder split across
 * chunks; `flush` releases the rest at end of stream.
 */
export interface StreamRestorer {
  push(chunk: string): string;
  flush(): string;
}

/**
 * Maps placeholders (`<EMAIL_ADDRESS_1>`) to original values for one conversation. The same value
 * always gets the same placeholder within a vault.
 */
export interface Vault {
  readonly id: string;
  /** Returns the placeholder for `value` of `type`, creating it on first use. */
  placeholderFor(type: string, value: string): string;
  /** The original behind a placeholder, if known. */
  lookup(placeholder: string): string | undefined;
  /** Replaces every known placeholder in `text` with its original. */
  restore(text: string): string;
  /** A stateful restorer for streamed text. */
  createRestorer(): StreamRestorer;
  /** Number of placeholders held. */
  readonly size: number;
}

/** Options of `guard.check`. */
export interface CheckOptions {
  /** Role of a plain-text input (default `user`). Ignored for message lists (each has its own). */
  role?: Role;
  /** Conversation vault used by redaction; defaults to the guard's own vault. */
  vault?: Vault;
  /** System prompt, for leak detection in assistant output. */
  systemPrompt?: string;
  /** Canary tokens whose appearance in output is a leak. */
  canaries?: readonly string[];
  /** Restrict to these detector families or ids (e.g. `['injection','pii']`). */
  detectors?: readonly string[];
}

/** Result of `guard.redact`. */
export interface RedactResult {
  text: string;
  findings: Finding[];
}

/** The guard: detectors plus policy. Create with `createGuard({ policy })`. */
export interface Guard {
  /** Checks a text or a list of messages and decides allow / flag / redact / block. */
  check(input: string | readonly GuardMessage[], options?: CheckOptions): Verdict;
  /** Like `check`, also running asynchronous back-ends (ONNX model, LLM judge) when configured. */
  checkAsync(input: string | readonly GuardMessage[], options?: CheckOptions): Promise<Verdict>;
  /** Redacts every redactable finding (PII, secrets) regardless of the action the policy would take. */
  redact(text: string, options?: CheckOptions): RedactResult;
  /** Puts originals back in place of placeholders. */
  restore(text: string, options?: { vault?: Vault }): string;
  /** A new, empty vault for one conversation. */
  createVault(): Vault;
}
