import { createGuard } from '../guard/create-guard.js';
import type { Guard } from '../guard/types.js';
import { openBackends } from '../learn/backend-config.js';
import { createAnomalyDetector } from '../monitor/anomaly-detector.js';
import { createLogger, type Logger } from '../monitor/logger.js';
import { createMetrics } from '../monitor/metrics.js';
import { createRequestMonitor } from '../monitor/request-monitor.js';
import { createWebhookSink } from '../monitor/webhook-sink.js';
import { createAdminRoutes } from '../store/admin-routes.js';
import { createAdminAuth } from '../store/admin-token.js';
import { openStores, type Stores } from '../store/open-stores.js';
import type { GatewayConfig } from './config/gateway-config-schema.js';
import { gatewayPolicy } from './config/gateway-policy.js';
import { createGateway, type Gateway } from './server.js';

/** A gateway started with its stores, monitor and guard. */
export interface StartedGateway {
  gateway: Gateway;
  url: string;
  host: string;
  port: number;
  stores: Stores;
  logger: Logger;
  /** Graceful stop: in-flight requests finish, the audit log and budgets are flushed, the database closed. */
  close(): Promise<void>;
}

/** Options of `startGateway`. */
export interface StartGatewayOptions {
  config: GatewayConfig;
  environment?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** A guard to use instead of one built from `config.policy`. */
  guard?: Guard;
}

/**
 * Wires a gateway from a validated config: guard from the policy, SQLite stores (keys, limits, audit)
 * under `dataDir`, metrics and anomaly alerts, admin endpoints when an admin token is set; then listens.
 */
export async function startGateway(options: StartGatewayOptions): Promise<StartedGateway> {
  const { config } = options;
  const environment = options.environment ?? process.env;
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  // Back-ends (ONNX classifier, LLM judge) are opened once here: a missing runtime or model fails at start.
  const asyncDetectors =
    options.guard === undefined && config.backends !== undefined
      ? await openBackends({ config: config.backends, environment })
      : [];
  const guard = options.guard ?? createGuard({ policy: gatewayPolicy(config), environment, asyncDetectors });
  const stores = openStores({
    dataDir: config.dataDir,
    auditPayloads: config.audit.payloads,
    onError: (error) =>
      logger.error('store write failed', { error: error instanceof Error ? error.message : 'unknown' }),
    // A fallback to the in-thread audit writer is worth an operator's attention, in the JSON log.
    onWarning: (message) => logger.warn(message),
  });
  try {
    const metrics = config.metrics.enabled
      ? createMetrics({ auditStats: () => stores.auditLog.stats() })
      : undefined;
    const secret =
      config.alerts.webhookSecretEnv === undefined ? undefined : environment[config.alerts.webhookSecretEnv];
    const sink =
      config.alerts.webhookUrl === undefined
        ? undefined
        : createWebhookSink({ url: config.alerts.webhookUrl, ...(secret ? { secret } : {}) });
    const monitor = metrics
      ? createRequestMonitor({
          metrics,
          anomalyDetector: createAnomalyDetector(sink ? { sink } : {}),
          logger,
        })
      : undefined;
    const adminAuth = createAdminAuth({
      env: environment,
      ...(config.auth.adminTokenEnv ? { envName: config.auth.adminTokenEnv } : {}),
    });
    const gateway = createGateway({
      config,
      guard,
      keys: stores.keyStore,
      limiter: stores.limiter,
      ...(config.audit.enabled ? { audit: stores.auditLog } : {}),
      ...(monitor ? { monitor } : {}),
      ...(adminAuth.enabled
        ? {
            admin: createAdminRoutes({
              auth: adminAuth,
              keyStore: stores.keyStore,
              limiter: stores.limiter,
              auditLog: stores.auditLog,
            }),
          }
        : {}),
      logger,
      environment,
    });
    const address = await gateway.listen();
    let closing: Promise<void> | undefined;
    return {
      gateway,
      ...address,
      stores,
      logger,
      close() {
        closing ??= gateway.close().finally(() => stores.close());
        return closing;
      },
    };
  } catch (error) {
    stores.close();
    throw error;
  }
}
