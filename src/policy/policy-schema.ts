import { z } from 'zod';
import { FAMILIES } from '../spec/finding.js';
import { ROLES } from '../spec/role.js';
import { ACTIONS } from '../spec/verdict.js';
import { FAIL_MODES, PRESET_NAMES, REDACTION_OPERATORS } from './policy-types.js';

// Every object is strict: an unknown key is an error that names its path, so a typo such as
// `threshhold` never silently falls back to a default.

/** Every pattern the schema uses, exported so a test can prove each safe from ReDoS. */
export const POLICY_PATTERNS = {
  // Types start with a letter so keys such as `__proto__` are rejected before any merge.
  typeName: /^[A-Za-z][A-Za-z0-9_.-]{0,79}$/,
  host: /^(\*\.)?[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/,
  environmentVariable: /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
  detectorId: /^[a-z][a-z0-9-]{0,63}$/,
} as const;

const actionSchema = z.enum(ACTIONS);
const thresholdSchema = z.number().min(0).max(1);
const operatorSchema = z.enum(REDACTION_OPERATORS);
const typeNameSchema = z
  .string()
  .regex(POLICY_PATTERNS.typeName, 'finding type names are letters, digits, _ . -');

const typeRuleSchema = z.strictObject({
  enabled: z.boolean().optional(),
  action: actionSchema.optional(),
  threshold: thresholdSchema.optional(),
  redaction: operatorSchema.optional(),
});

const roleRuleSchema = z.strictObject({
  enabled: z.boolean().optional(),
  action: actionSchema.optional(),
  threshold: thresholdSchema.optional(),
});

const familySchema = z.strictObject({
  enabled: z.boolean().optional(),
  action: actionSchema.optional(),
  threshold: thresholdSchema.optional(),
  failMode: z.enum(FAIL_MODES).optional(),
  redaction: operatorSchema.optional(),
  types: z.record(typeNameSchema, typeRuleSchema).optional(),
  roles: z.partialRecord(z.enum(ROLES), roleRuleSchema).optional(),
});

const roleScopeSchema = z.strictObject({ families: z.array(z.enum(FAMILIES)).max(FAMILIES.length) });

const hostSchema = z
  .string()
  .max(253)
  .regex(POLICY_PATTERNS.host, 'a host name, optionally starting with *.');

const allowlistSchema = z.strictObject({
  hosts: z.array(hostSchema).max(10_000).optional(),
  values: z.array(z.string().min(1).max(4096)).max(100_000).optional(),
  patterns: z.array(z.string().min(1).max(512)).max(1000).optional(),
});

const keySourceSchema = z.strictObject({
  env: z.string().regex(POLICY_PATTERNS.environmentVariable, 'an environment variable name').optional(),
  file: z.string().min(1).max(4096).optional(),
});

/** Strict schema of a policy file (every field optional; missing ones come from the base preset). */
export const policyFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  name: z.string().min(1).max(128).optional(),
  extends: z.enum(PRESET_NAMES).optional(),
  families: z.partialRecord(z.enum(FAMILIES), familySchema).optional(),
  roles: z.partialRecord(z.enum(ROLES), roleScopeSchema).optional(),
  allowlist: allowlistSchema.optional(),
  redaction: z.strictObject({ key: keySourceSchema.optional() }).optional(),
  detectorOptions: z
    .record(z.string().regex(POLICY_PATTERNS.detectorId, 'a detector id'), z.record(z.string(), z.unknown()))
    .optional(),
});

/** A policy file as written by a user, before it is merged onto its base preset. */
export type PolicyFile = z.infer<typeof policyFileSchema>;

/** Renders zod issues as `path: message` lines, naming unknown keys by their full path. */
export function formatPolicyIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${base ? `${base}.` : ''}${key}: unknown key`).join('; ');
    }
    return `${base || '(root)'}: ${issue.message}`;
  });
}
