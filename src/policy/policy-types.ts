import type { Family } from '../spec/finding.js';
import type { Role } from '../spec/role.js';
import type { Action } from '../spec/verdict.js';

/** Names of the built-in policy presets. */
export const PRESET_NAMES = ['strict', 'balanced', 'permissive'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Redaction operators: how a sensitive span is replaced. */
export const REDACTION_OPERATORS = ['mask', 'placeholder', 'hash', 'encrypt'] as const;
export type RedactionOperatorName = (typeof REDACTION_OPERATORS)[number];

/** What happens to the verdict when a detector of a family throws. */
export const FAIL_MODES = ['closed', 'open'] as const;
export type FailMode = (typeof FAIL_MODES)[number];

/** Overrides for one finding type (e.g. `EMAIL_ADDRESS`) within a family. */
export interface TypeRule {
  enabled?: boolean;
  action?: Action;
  threshold?: number;
  redaction?: RedactionOperatorName;
}

/** Overrides for text written by one role (e.g. injection in `document` text is judged as indirect). */
export interface RoleRule {
  enabled?: boolean;
  action?: Action;
  threshold?: number;
}

/** Policy of one detector family. */
export interface FamilyPolicy {
  enabled: boolean;
  /** Action for findings at or above the threshold. */
  action: Action;
  /** Findings scoring below this (0..1) are dropped. */
  threshold: number;
  /** `closed`: a detector failure blocks; `open`: it is recorded and the text is allowed. */
  failMode: FailMode;
  /** Operator used when a finding of this family is redacted. */
  redaction: RedactionOperatorName;
  /** Per-type overrides, keyed by finding type. */
  types: Readonly<Record<string, TypeRule>>;
  /** Per-role overrides; a type rule wins over a role rule for the same setting. */
  roles: Readonly<Partial<Record<Role, RoleRule>>>;
}

/** Which families run on text written by a role. */
export interface RoleScope {
  families: readonly Family[];
}

/** Values that never count as findings. */
export interface Allowlist {
  /** Hosts links and images in output may point to; `*.example.com` matches subdomains. */
  hosts: readonly string[];
  /** Exact values (the matched text) that are never reported. */
  values: readonly string[];
  /** Regular expressions; a finding whose matched text matches one in full is dropped. ReDoS-checked. */
  patterns: readonly string[];
}

/** Where the redaction key comes from (hash and encrypt operators). */
export interface RedactionKeySource {
  /** Environment variable holding the key (hex or base64, at least 32 bytes). */
  env: string;
  /** File holding the key; read when the environment variable is unset. */
  file?: string;
}

/** A complete, validated, frozen policy. Build with `loadPolicy` or `resolvePolicy`. */
export interface Policy {
  name: string;
  families: Readonly<Record<Family, FamilyPolicy>>;
  roles: Readonly<Record<Role, RoleScope>>;
  allowlist: Allowlist;
  redaction: { key: RedactionKeySource };
  /** Options handed to built-in detector factories, keyed by detector id. */
  detectorOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}
