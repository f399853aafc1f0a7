import type { GatewayConfig } from '../config/gateway-config-schema.js';

/** True when a failed check of `family` (or of the whole guard, without a family) lets traffic through. */
export function failsOpen(config: GatewayConfig['failMode'], family?: string): boolean {
  const mode = family === undefined ? config.default : (config.families[family] ?? config.default);
  return mode === 'open';
}
