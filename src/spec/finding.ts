import type { Severity } from './severity.js';

/** Detector families. A family is also the policy key under which actions and thresholds are set. */
export const FAMILIES = ['injection', 'unicode', 'pii', 'secrets', 'output'] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * Threat categories used across findings and reports. Each maps to OWASP LLM Top 10 2025 ids
 * (see `CATEGORY_OWASP`).
 */
export const CATEGORIES = [
  'prompt-injection',
  'indirect-injection',
  'jailbreak',
  'system-prompt-extraction',
  'obfuscation',
  'sensitive-data',
  'secret',
  'improper-output',
  'system-prompt-leak',
  'excessive-agency',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** OWASP Top 10 for LLM Applications 2025 ids for each category. */
export const CATEGORY_OWASP: Readonly<Record<Category, readonly string[]>> = {
  'prompt-injection': ['LLM01'],
  'indirect-injection': ['LLM01'],
  jailbreak: ['LLM01'],
  'system-prompt-extraction': ['LLM01', 'LLM07'],
  obfuscation: ['LLM01'],
  'sensitive-data': ['LLM02'],
  secret: ['LLM02'],
  'improper-output': ['LLM05'],
  'system-prompt-leak': ['LLM07'],
  'excessive-agency': ['LLM06'],
};

interface FindingBase {
  /** Id of the detector that produced this finding (e.g. `pii`). */
  detector: string;
  /** Threat category. */
  category: Category;
  /** Specific type, e.g. `EMAIL_ADDRESS`, `AWS_ACCESS_KEY_ID`, `INSTRUCTION_OVERRIDE`. */
  type: string;
  severity: Severity;
  /** Confidence 0..1. */
  score: number;
  /** Start offset in the original text (JavaScript string index, UTF-16 code units). */
  start: number;
  /** End offset (exclusive) in the original text. */
  end: number;
  /** Stable id of the rule that fired, e.g. `secrets.aws-access-key-id`. */
  ruleId: string;
  /**
   * Short evidence safe to show and log. For sensitive values it is masked (e.g. `AKIA…[16]`);
   * it never repeats a secret or a personal value in full.
   */
  evidence?: string;
}

/** A finding from the injection family; `signals` lists the contributing signal names. */
export interface InjectionFinding extends FindingBase {
  family: 'injection';
  /** Names of the signals that contributed to the combined score. */
  signals?: readonly string[];
  /** Decoding chain that revealed the payload, e.g. `['base64', 'rot13']`. */
  decodedFrom?: readonly string[];
}

/** A finding from the unicode family (invisible text, homoglyphs). */
export interface UnicodeFinding extends FindingBase {
  family: 'unicode';
  /** Hidden text decoded from tag characters or variation selectors, truncated and safe to show. */
  hiddenText?: string;
}

/** A finding of personal data. Redactable. */
export interface PiiFinding extends FindingBase {
  family: 'pii';
}

/** A finding of a secret (key, token, password). Redactable. */
export interface SecretFinding extends FindingBase {
  family: 'secrets';
  /** True when the value is a documented example or placeholder (kept at low severity). */
  example?: boolean;
}

/** A finding in model output (exfiltration links, HTML/script, SQL/shell payloads, leaks). */
export interface OutputFinding extends FindingBase {
  family: 'output';
  /** Host the content points to, when relevant. */
  host?: string;
}

/** Findings are data: a discriminated union on `family`. */
export type Finding = InjectionFinding | UnicodeFinding | PiiFinding | SecretFinding | OutputFinding;

/** True when a finding's span lies inside a text of the given length. */
export function spanIsValid(finding: Pick<Finding, 'start' | 'end'>, textLength: number): boolean {
  return (
    Number.isInteger(finding.start) &&
    Number.isInteger(finding.end) &&
    finding.start >= 0 &&
    finding.start <= finding.end &&
    finding.end <= textLength
  );
}
