import type { Finding } from './finding.js';

/** What the policy decided. Ordered from least to most restrictive. */
export const ACTIONS = ['allow', 'flag', 'redact', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

/** Rank of an action (allow = 0 … block = 3). */
export function actionRank(action: Action): number {
  return ACTIONS.indexOf(action);
}

/** The decision of the guard over one text or a list of messages. */
export interface Verdict {
  action: Action;
  /** All findings kept after allowlists and thresholds, spans relative to their message. */
  findings: Finding[];
  /** Highest injection-family score (0 when none). */
  score: number;
  /** Present when action is `redact`: the text with sensitive spans replaced. */
  redactedText?: string;
  /** For message lists: the redacted messages, in order. */
  redactedMessages?: { role: string; content: string }[];
  /** For message lists: index of the message each finding came from, parallel to `findings`. */
  messageIndex?: number[];
  /** Human-readable reasons, one per rule that set the action. */
  reasons: string[];
  /** Detectors that failed and how the failure was handled (fail closed → block). */
  errors?: { detector: string; code: string; message: string }[];
}
