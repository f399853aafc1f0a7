import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import { validateUpstreamUrl } from '../ssrf.js';
import { type GatewayConfig, type GatewayConfigInput, gatewayConfigSchema } from './gateway-config-schema.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates a config object once at the edge and returns it frozen. Throws `AEGIS_CONFIG_INVALID`. */
export function parseGatewayConfig(input: GatewayConfigInput | unknown): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') || '(root)';
    throw new AegisError(
      ERROR_CODES.CONFIG_INVALID,
      `gateway config: ${path}: ${issue?.message ?? 'invalid'}`,
      {
        details: { path, issues: result.error.issues.length },
      },
    );
  }
  const config = result.data;
  const names = new Set<string>();
  for (const upstream of config.upstreams) {
    if (names.has(upstream.name)) {
      throw new AegisError(
        ERROR_CODES.CONFIG_INVALID,
        `gateway config: duplicate upstream name ${upstream.name}`,
      );
    }
    names.add(upstream.name);
    if (upstream.provider === 'simulated') continue;
    if (upstream.baseUrl === undefined) {
      throw new AegisError(
        ERROR_CODES.CONFIG_INVALID,
        `gateway config: upstreams.${upstream.name}.baseUrl is required for provider ${upstream.provider}`,
      );
    }
    validateUpstreamUrl(upstream.baseUrl, { allowPrivateNetwork: upstream.allowPrivateNetwork });
  }
  for (const [alias, chain] of Object.entries(config.aliases)) {
    for (const entry of chain) {
      const upstreamName = entry.slice(0, entry.indexOf('/'));
      if (!entry.includes('/') || !names.has(upstreamName)) {
        throw new AegisError(
          ERROR_CODES.CONFIG_INVALID,
          `gateway config: aliases.${alias}: ${entry} must be upstream/model with a configured upstream`,
        );
      }
    }
  }
  return deepFreeze(config);
}

/** Reads a YAML or JSON gateway config file. */
export function loadGatewayConfig(path: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AegisError(ERROR_CODES.CONFIG_UNREADABLE, `cannot read gateway config ${path}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new AegisError(ERROR_CODES.CONFIG_INVALID, `gateway config ${path} is not valid YAML/JSON`, {
      cause: error,
    });
  }
  return parseGatewayConfig(data);
}
