import type { MonitoredRequest } from '../monitor/request-monitor.js';
import type { AuditLog } from '../store/audit-log.js';
import type { KeyStore } from '../store/key-store.js';
import type { Limiter } from '../store/limiter.js';

/** The key store as the gateway uses it: verify presented keys, know whether any exist (or ever did). */
export type GatewayKeys = Pick<KeyStore, 'verify' | 'countActive' | 'countAll'>;
/** Per-key limits as the gateway uses them. */
export type GatewayLimiter = Pick<Limiter, 'admit'> & Partial<Pick<Limiter, 'close'>>;
/** The audit log as the gateway uses it. */
export type GatewayAudit = Pick<AuditLog, 'append' | 'flush' | 'close'>;

/** One finished request, as reported to metrics and anomaly detection (the monitor's own shape). */
export type RequestObservation = MonitoredRequest;

/** Metrics and monitoring as the gateway uses them. */
export interface GatewayMonitor {
  observe(observation: RequestObservation): void;
  upstreamFailure(info: { upstream: string; code: string; status?: number }): void;
  /** Prometheus text exposition; undefined when metrics are off. */
  render?(): Promise<{ contentType: string; body: string }>;
}
