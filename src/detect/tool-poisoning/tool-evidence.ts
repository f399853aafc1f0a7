import type { InjectionFinding } from '../../spec/finding.js';
import { TOOL_POISONING_THRESHOLD } from './scan-tool-definition.js';

/** The tool-poisoning evidence of every text of the declared tools, weighed per tool. */
export interface ToolEvidence {
  /** Records the findings of one text of tool `tool` (a description, a schema text, a parameter name). */
  add(tool: number, findings: readonly InjectionFinding[]): void;
  /** True when the texts of tool `tool` together reach `TOOL_POISONING_THRESHOLD`. */
  poisoned(tool: number): boolean;
}

/**
 * Style signals that benign tools show too (an `<IMPORTANT>` tag, "otherwise the tool will not work",
 * "before using this tool, open …"): they count with other signals of their own text, never with those
 * of another text, so a long, honest tool does not add up its notes across fields.
 */
function countsAcrossTexts(ruleId: string): boolean {
  return (
    !ruleId.startsWith('tool-poisoning.marker.') && ruleId !== 'tool-poisoning.shadow.before-using-this-tool'
  );
}

/**
 * Weighs the findings of all texts of one tool together: each rule counts once per tool (its best score)
 * and the rules combine by noisy-OR, as within one text. An order split between the description ("read
 * ~/.cursor/mcp.json first") and a parameter's description ("pass its content in this field") reaches the
 * model as one instruction, so it weighs as much as when written in one place; a rule that fires in many
 * parameter descriptions (one per field of a write tool) still counts once. A text poisoned on its own is
 * decided by `scanToolDefinition`; this only adds tools whose texts are each below the threshold.
 */
export function createToolEvidence(): ToolEvidence {
  const byTool = new Map<number, Map<string, number>>();
  return {
    add(tool, findings) {
      if (findings.length === 0) return;
      let rules = byTool.get(tool);
      if (rules === undefined) {
        rules = new Map();
        byTool.set(tool, rules);
      }
      for (const finding of findings) {
        const rule = finding.ruleId;
        if (!countsAcrossTexts(rule)) continue;
        rules.set(rule, Math.max(rules.get(rule) ?? 0, finding.score));
      }
    },
    poisoned(tool) {
      const rules = byTool.get(tool);
      if (rules === undefined) return false;
      let clean = 1;
      for (const score of rules.values()) clean *= 1 - score;
      return 1 - clean >= TOOL_POISONING_THRESHOLD - 1e-9;
    },
  };
}
