import { loadPolicy } from '../../policy/load-policy.js';
import type { Policy } from '../../policy/policy-types.js';
import type { GatewayConfig } from './gateway-config-schema.js';

/**
 * The policy the gateway's guard runs: the configured policy (a preset name or a policy file), with the
 * gateway's `allowedOutputHosts` added to its host allowlist, so links and images in model output may
 * point to those hosts as well as to the ones the policy already allows.
 */
export function gatewayPolicy(config: Pick<GatewayConfig, 'policy' | 'allowedOutputHosts'>): Policy {
  const policy = loadPolicy(config.policy);
  if (config.allowedOutputHosts.length === 0) return policy;
  const hosts = [...new Set([...policy.allowlist.hosts, ...config.allowedOutputHosts])];
  return { ...policy, allowlist: { ...policy.allowlist, hosts } };
}
