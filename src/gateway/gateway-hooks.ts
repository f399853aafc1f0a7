import type { AuditLog } from '../store/audit-log.js';
import type { KeyStore } from '../store/key-store.js';
import type { Limiter } from '../store/limiter.js';

/** The key store as the gateway uses it: verify presented keys, know whether any exist. */
export type GatewayKeys = Pick<KeyStore, 'verify' | 'countActive'>;
/** Per-key limits as the gateway uses them. */
export type GatewayLimiter = Pick<Limiter, 'admit'> & Partial<Pick<Limiter, 'close'>>;
/** The audit log as the gateway uses it. */
export type GatewayAudit = Pick<AuditLog, 'append' | 'flush' | 'close'>;

/** One finished request, as reported to metrics and anomaly detection. */
export interface RequestObservation {
  route: string;
  method: string;
  status: number;
  durationMs: number;
  keyId: string | null;
  model: string | null;
  upstream: string | null;
  inputAction: string | null;
  outputAction: string | null;
  /** Categories of findings that caused a block. */
  blockedCategories: readonly string[];
  /** Time spent in guard checks, ms. */
  guardMs: number;
  tokens: { input: number; output: number } | null;
  streamed: boolean;
  errorCode: string | null;
  /** The redacted user prompt (placeholders, no values), for extraction-pattern detection. */
  prompt?: string;
}

/** Metrics and monitoring as the gateway uses them. */
export interface GatewayMonitor {
  observe(observation: RequestObservation): void;
  upstreamFailure(info: { upstream: string; code: string; status?: number }): void;
  /** Prometheus text exposition; undefined when metrics are off. */
  render?(): Promise<{ contentType: string; body: string }>;
}
