import { type OutputMatch, severityForScore, snippet } from './output-match.js';

/**
 * A payload meant for a downstream system (SQL, shell). `pattern` is a cheap, bounded anchor; `confirm`
 * looks around the match in code when a regex alone would need ambiguous quantifiers, and returns the
 * danger score or undefined to drop the match.
 */
export interface PayloadRule {
  id: string;
  type: 'SQL_INJECTION' | 'SHELL_INJECTION';
  /** Written without flags; run case-insensitively over the whole text. */
  pattern: RegExp;
  score: number;
  /** Lower-case literals of which at least one must occur for the rule to run at all (a cheap prefilter). */
  hints?: readonly string[];
  confirm?: (context: {
    text: string;
    start: number;
    end: number;
    match: RegExpExecArray;
  }) => number | undefined;
}

/** The line around `index`, bounded to 1000 characters each way. */
export function lineAround(text: string, index: number): { line: string; lineStart: number } {
  const from = Math.max(0, index - 1000);
  const previousBreak = text.lastIndexOf('\n', index - 1);
  const lineStart = Math.max(from, previousBreak + 1);
  const nextBreak = text.indexOf('\n', index);
  const lineEnd = Math.min(nextBreak === -1 ? text.length : nextBreak, index + 1000);
  return { line: text.slice(lineStart, lineEnd), lineStart };
}

/** Runs payload rules over a text. */
export function runPayloadRules(text: string, rules: readonly PayloadRule[]): OutputMatch[] {
  const found: OutputMatch[] = [];
  const lower = text.toLowerCase();
  for (const rule of rules) {
    if (rule.hints && !rule.hints.some((hint) => lower.includes(hint))) continue;
    const pattern = new RegExp(rule.pattern.source, 'gi');
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      const score = rule.confirm ? rule.confirm({ text, start, end, match }) : rule.score;
      if (score === undefined) continue;
      found.push({
        ruleId: rule.id,
        type: rule.type,
        category: 'improper-output',
        score,
        severity: severityForScore(score),
        start,
        end,
        evidence: snippet(text, start, end),
      });
    }
  }
  return found;
}
