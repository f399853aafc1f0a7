import { ERROR_CODES } from '../spec/errors.js';
import type { AnomalyDetector } from './anomaly-detector.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** One finished request, as the gateway reports it. */
export interface MonitoredRequest {
  route: string;
  method: string;
  status: number;
  durationMs: number;
  keyId: string | null;
  model: string | null;
  upstream: string | null;
  inputAction: string | null;
  outputAction: string | null;
  /** Categories of the findings that caused a block. */
  blockedCategories: readonly string[];
  /** Time spent in guard checks, ms. */
  guardMs: number;
  tokens: { input: number; output: number } | null;
  streamed: boolean;
  errorCode: string | null;
  /** The redacted prompt; only a fingerprint is kept by anomaly detection. */
  prompt?: string;
}

/** Fans one request observation out to metrics and anomaly detection. */
export interface RequestMonitor {
  observe(observation: MonitoredRequest): void;
  upstreamFailure(info: { upstream: string; code: string; status?: number }): void;
  render(): Promise<{ contentType: string; body: string }>;
}

const LIMIT_REASONS: Record<string, string> = {
  [ERROR_CODES.RATE_LIMITED]: 'rate',
  [ERROR_CODES.TOKEN_BUDGET_EXCEEDED]: 'daily-tokens',
  [ERROR_CODES.CONCURRENCY_LIMITED]: 'concurrency',
};

/** The key id used for requests without an API key (local, keyless mode). */
export const ANONYMOUS_KEY_ID = 'anonymous';

/** Creates the monitor the gateway calls once per finished request. */
export function createRequestMonitor(options: {
  metrics: Metrics;
  anomalyDetector?: AnomalyDetector;
  logger?: Logger;
}): RequestMonitor {
  const { metrics, anomalyDetector, logger } = options;
  return {
    observe(observation) {
      metrics.recordRequest({
        route: observation.route,
        status: observation.status,
        durationMs: observation.durationMs,
      });
      const blockedAt = observation.outputAction === 'block' ? 'output' : 'input';
      for (const category of observation.blockedCategories)
        metrics.recordBlock({ stage: blockedAt, category });
      if (observation.guardMs > 0) metrics.observeGuard({ stage: 'total', durationMs: observation.guardMs });
      if (observation.tokens !== null) {
        metrics.recordTokens({ model: observation.model ?? 'unknown', ...observation.tokens });
      }
      const limitReason = observation.errorCode === null ? undefined : LIMIT_REASONS[observation.errorCode];
      if (limitReason !== undefined) metrics.recordLimited({ reason: limitReason });
      if (anomalyDetector === undefined) return;
      const alerts = anomalyDetector.observe({
        keyId: observation.keyId ?? ANONYMOUS_KEY_ID,
        blocked: observation.inputAction === 'block' || observation.outputAction === 'block',
        prompt: observation.prompt,
      });
      for (const alert of alerts) {
        metrics.recordAlert({ type: alert.type });
        logger?.warn('anomaly alert', { alert: alert.type, keyId: alert.keyId, detail: alert.message });
      }
    },
    upstreamFailure(info) {
      metrics.recordUpstreamError({ upstream: info.upstream, reason: info.code });
    },
    async render() {
      return { contentType: metrics.contentType, body: await metrics.render() };
    },
  };
}
