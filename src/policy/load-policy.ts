import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { compileAllowPattern } from './check-pattern.js';
import { deepFreeze, deepMerge } from './deep-merge.js';
import { formatPolicyIssues, policyFileSchema } from './policy-schema.js';
import { type Policy, PRESET_NAMES, type PresetName } from './policy-types.js';
import { DEFAULT_PRESET, PRESETS } from './presets.js';

/** Policy files above this size are refused (a policy is a few KB). */
const MAX_POLICY_BYTES = 1024 * 1024;

// Policies that went through `resolvePolicy`; lets `createGuard` accept them without validating twice.
const resolvedPolicies = new WeakSet<object>();

/** True when `name` is a built-in preset name. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** True when `policy` came out of `resolvePolicy` (validated and frozen). */
export function isResolvedPolicy(policy: unknown): policy is Policy {
  return typeof policy === 'object' && policy !== null && resolvedPolicies.has(policy);
}

/** A built-in preset, validated and frozen. */
export function presetPolicy(name: string): Policy {
  if (!isPresetName(name)) {
    throw new AegisError(
      ERROR_CODES.PRESET_UNKNOWN,
      `unknown policy preset "${name}" (expected one of: ${PRESET_NAMES.join(', ')})`,
      { details: { preset: name } },
    );
  }
  return resolvePolicy({ extends: name });
}

/**
 * Validates a policy object (the content of a policy file), merges it onto its base preset
 * (`extends`, default `balanced`) and returns it deep-frozen. Throws `POLICY_INVALID` naming the bad key.
 */
export function resolvePolicy(input: unknown, source = 'policy'): Policy {
  if (isResolvedPolicy(input)) return input;
  const parsed = policyFileSchema.safeParse(input);
  if (!parsed.success) {
    const problems = formatPolicyIssues(parsed.error.issues);
    throw new AegisError(ERROR_CODES.POLICY_INVALID, `${source} invalid: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const { extends: base = DEFAULT_PRESET, version: _version, ...overrides } = parsed.data;
  const merged: Policy = deepMerge(structuredClone(PRESETS[base]), overrides);
  if (overrides.name === undefined) merged.name = source === 'policy' ? base : source;
  merged.allowlist.patterns.forEach((pattern, index) => {
    compileAllowPattern(pattern, `allowlist.patterns.${index}`);
  });
  const frozen = deepFreeze(merged);
  resolvedPolicies.add(frozen);
  return frozen;
}

/**
 * Loads a policy from a preset name (`strict`, `balanced`, `permissive`) or a YAML/JSON file (detected
 * by content). Errors: `PRESET_UNKNOWN`, `POLICY_UNREADABLE`, `POLICY_INVALID`.
 */
export function loadPolicy(pathOrPresetName: string): Policy {
  if (isPresetName(pathOrPresetName)) return presetPolicy(pathOrPresetName);
  let text: string;
  try {
    const size = statSync(pathOrPresetName).size;
    if (size > MAX_POLICY_BYTES) {
      throw new AegisError(
        ERROR_CODES.POLICY_UNREADABLE,
        `policy file ${pathOrPresetName} is larger than 1 MB`,
      );
    }
    text = readFileSync(pathOrPresetName, 'utf8');
  } catch (error) {
    if (error instanceof AegisError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !/[/\\.]/.test(pathOrPresetName)) {
      // A bare word that is not a file was meant as a preset name.
      return presetPolicy(pathOrPresetName);
    }
    throw new AegisError(
      ERROR_CODES.POLICY_UNREADABLE,
      `cannot read policy file ${pathOrPresetName}: ${code ?? (error as Error).message}`,
      { cause: error, details: { path: pathOrPresetName } },
    );
  }
  return resolvePolicy(parsePolicyText(text, pathOrPresetName), pathOrPresetName);
}

/** Parses policy text as JSON when it looks like JSON, otherwise as YAML. */
function parsePolicyText(text: string, path: string): unknown {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('{')) return JSON.parse(trimmed);
    const value: unknown = parseYaml(text, { maxAliasCount: 50, prettyErrors: true });
    return value ?? {};
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.POLICY_INVALID,
      `policy file ${path} is not valid ${trimmed.startsWith('{') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
      { cause: error, details: { path } },
    );
  }
}
