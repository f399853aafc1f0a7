import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import type { Guard } from '../../guard/types.js';
import { createLogger } from '../../monitor/logger.js';
import type { GatewayConfigInput } from '../config/gateway-config-schema.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import type { GatewayAudit, GatewayKeys, GatewayLimiter, GatewayMonitor } from '../gateway-hooks.js';
import { createGateway, type Gateway } from '../server.js';

/** A gateway started for one test on 127.0.0.1, port 0. */
export interface TestGateway {
  url: string;
  gateway: Gateway;
  guard: Guard;
  close(): Promise<void>;
}

/**
 * Starts a gateway for tests with the balanced policy and the guard's small sample detectors (e-mail,
 * phone, `sk-` keys, "ignore previous instructions", markdown images), so tests do not depend on the
 * tuning of the built-in detectors.
 */
export async function startTestGateway(
  config: GatewayConfigInput = {},
  hooks: {
    keys?: GatewayKeys;
    limiter?: GatewayLimiter;
    audit?: GatewayAudit;
    monitor?: GatewayMonitor;
    guard?: Guard;
    environment?: NodeJS.ProcessEnv;
  } = {},
): Promise<TestGateway> {
  const guard = hooks.guard ?? createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
  const gateway = createGateway({
    config: parseGatewayConfig({ host: '127.0.0.1', port: 0, logging: { level: 'silent' }, ...config }),
    guard,
    logger: createLogger({ level: 'silent' }),
    ...(hooks.keys ? { keys: hooks.keys } : {}),
    ...(hooks.limiter ? { limiter: hooks.limiter } : {}),
    ...(hooks.audit ? { audit: hooks.audit } : {}),
    ...(hooks.monitor ? { monitor: hooks.monitor } : {}),
    environment: hooks.environment ?? {},
  });
  const { url } = await gateway.listen();
  return { url, gateway, guard, close: () => gateway.close() };
}
