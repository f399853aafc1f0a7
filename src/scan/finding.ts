import type { Severity } from '../spec/severity.js';
import type { ScanRule } from './rules.js';
import type { ScanFinding } from './types.js';

/** Options of `makeFinding`. */
export interface MakeFindingOptions {
  rule: ScanRule;
  message: string;
  location: string;
  /** Overrides the rule's default severity. */
  severity?: Severity;
  /** References added to the rule's own (e.g. a CVE for one gadget). */
  extraReferences?: readonly string[];
}

/** Builds a finding from a catalogue rule. */
export function makeFinding(options: MakeFindingOptions): ScanFinding {
  const references = [...options.rule.references];
  for (const reference of options.extraReferences ?? []) {
    if (!references.includes(reference)) references.push(reference);
  }
  return {
    rule: options.rule.id,
    severity: options.severity ?? options.rule.severity,
    message: options.message,
    location: options.location,
    references,
  };
}

/** Keeps text safe to print: control characters escaped, long values shortened. */
export function printable(text: string, maxLength = 120): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => {
    return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength)}…` : escaped;
}
