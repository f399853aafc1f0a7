import type { Finding } from '../spec/finding.js';
import type { GuardMessage } from '../spec/role.js';
import { ACTIONS, actionRank, type Verdict } from '../spec/verdict.js';

/**
 * Aggregates per-message verdicts: the most restrictive action wins, findings are concatenated with
 * `messageIndex` naming their message, reasons of the messages that set the action are kept (prefixed
 * with the message index), and when the action
 * is `redact` every message is returned, redacted where needed.
 */
export function mergeVerdicts(messages: readonly GuardMessage[], verdicts: readonly Verdict[]): Verdict {
  let rank = 0;
  let score = 0;
  const findings: Finding[] = [];
  const messageIndex: number[] = [];
  const reasons: string[] = [];
  const errors: NonNullable<Verdict['errors']> = [];
  verdicts.forEach((verdict, index) => {
    rank = Math.max(rank, actionRank(verdict.action));
    score = Math.max(score, verdict.score);
    for (const finding of verdict.findings) {
      findings.push(finding);
      messageIndex.push(index);
    }
    if (verdict.errors) errors.push(...verdict.errors);
  });
  const action = ACTIONS[rank] ?? 'block';
  // Only the messages whose own action equals the final one explain it.
  verdicts.forEach((verdict, index) => {
    if (verdict.action !== action) return;
    for (const reason of verdict.reasons) reasons.push(`messages[${index}] ${reason}`);
  });
  const merged: Verdict = { action, findings, score, reasons, messageIndex };
  if (errors.length > 0) merged.errors = errors;
  if (action === 'redact') {
    merged.redactedMessages = messages.map((message, index) => ({
      role: message.role,
      content: verdicts[index]?.redactedText ?? message.content,
    }));
  }
  return merged;
}
