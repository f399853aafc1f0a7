import type { Guard } from '../guard/types.js';
import type { GatewayConfig } from './config/gateway-config-schema.js';
import type { GatewayKeys, GatewayLimiter, GatewayMonitor } from './gateway-hooks.js';
import type { GatewayLogger } from './gateway-logger.js';
import type { CleanTextCache } from './guard/clean-text-cache.js';
import type { CircuitBreaker } from './routing/circuit-breaker.js';
import type { Router } from './routing/router.js';
import type { UpstreamClient } from './routing/upstream-client.js';
import type { ShutdownRegistry } from './shutdown-registry.js';

/** Long-lived parts of a running gateway, shared by every request. */
export interface GatewayContext {
  config: GatewayConfig;
  guard: Guard;
  router: Router;
  client: UpstreamClient;
  breaker(upstream: string): CircuitBreaker;
  keys: GatewayKeys | undefined;
  /** True when model routes need an API key (keys exist or config requires auth). */
  authRequired(): boolean;
  limiter: GatewayLimiter | undefined;
  monitor: GatewayMonitor | undefined;
  /** True when finished requests go to an audit log (the only reader of a request's payload copy). */
  audited: boolean;
  logger: GatewayLogger;
  /** Texts this guard already found clean. */
  inputCache: CleanTextCache;
  /** True when the guard has asynchronous detectors (back-ends) that request texts must go through. */
  asyncInputChecks: boolean;
  /** Upstream requests in flight, cancelled when a shutdown's grace period runs out. */
  shutdown: ShutdownRegistry;
}
