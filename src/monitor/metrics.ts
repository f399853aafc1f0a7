import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Stage of the guard a block or timing belongs to. */
export type GuardStage = 'input' | 'output' | 'tool' | 'total';

/** Prometheus metrics of the gateway, on their own registry (never the process-global one). */
export interface Metrics {
  readonly registry: Registry;
  /** `Content-Type` for the `/metrics` response. */
  readonly contentType: string;
  recordRequest(options: { route: string; status: number; durationMs: number }): void;
  recordBlock(options: { stage: GuardStage; category: string }): void;
  observeGuard(options: { stage: GuardStage; durationMs: number }): void;
  recordUpstreamError(options: { upstream: string; reason: string }): void;
  recordTokens(options: { model: string; input?: number; output?: number }): void;
  recordLimited(options: { reason: string }): void;
  recordAlert(options: { type: string }): void;
  /** Prometheus text exposition format 0.0.4, for `GET /metrics`. */
  render(): Promise<string>;
}

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** Metric name prefix. Default `aegis_`. */
  prefix?: string;
  /** Also export Node process metrics (CPU, memory, event loop lag). Default true. */
  processMetrics?: boolean;
  /** Distinct values kept per label before new ones count as `other` (labels carry caller input). */
  maxLabelValues?: number;
  /** Audit log counters to expose, read at scrape time. */
  auditStats?: () => {
    queued: number;
    written: number;
    dropped: number;
    failures: number;
    appendWaitMs?: number;
  };
}

const REQUEST_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
const GUARD_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

/**
 * Label values such as model names come from requests; an attacker could otherwise create unbounded
 * series. Each label keeps its first `max` distinct values and folds the rest into `other`.
 */
function createLabelBounder(max: number): (label: string, value: string) => string {
  const seen = new Map<string, Set<string>>();
  return (label, value) => {
    const clean = value.length > 64 ? value.slice(0, 64) : value;
    let values = seen.get(label);
    if (values === undefined) {
      values = new Set();
      seen.set(label, values);
    }
    if (values.has(clean)) return clean;
    if (values.size >= max) return 'other';
    values.add(clean);
    return clean;
  };
}

/** Creates the gateway metrics. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? 'aegis_';
  const registry = new Registry();
  const bound = createLabelBounder(options.maxLabelValues ?? 100);
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix });

  const requests = new Counter({
    name: `${prefix}requests_total`,
    help: 'Requests handled, by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: `${prefix}request_duration_seconds`,
    help: 'Time from request received to response finished, by route.',
    labelNames: ['route'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const blocks = new Counter({
    name: `${prefix}blocks_total`,
    help: 'Requests or responses blocked by the guard, by stage and threat category.',
    labelNames: ['stage', 'category'] as const,
    registers: [registry],
  });
  const guardDuration = new Histogram({
    name: `${prefix}guard_duration_seconds`,
    help: 'Time spent in guard checks, by stage.',
    labelNames: ['stage'] as const,
    buckets: GUARD_BUCKETS,
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: `${prefix}upstream_errors_total`,
    help: 'Failed upstream calls (timeouts, 5xx, resets, open circuit), by upstream and reason.',
    labelNames: ['upstream', 'reason'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: `${prefix}tokens_total`,
    help: 'Tokens processed, by model and direction (input or output).',
    labelNames: ['model', 'direction'] as const,
    registers: [registry],
  });
  const limited = new Counter({
    name: `${prefix}rate_limited_total`,
    help: 'Requests refused by per-key limits, by limit (rpm, tpm, concurrency, daily-tokens).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const alerts = new Counter({
    name: `${prefix}anomaly_alerts_total`,
    help: 'Anomaly alerts raised, by type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const auditStats = options.auditStats;
  if (auditStats !== undefined) {
    new Gauge({
      name: `${prefix}audit_queue_records`,
      help: 'Audit records waiting to be written.',
      registers: [registry],
      collect() {
        this.set(auditStats().queued);
      },
    });
    new Gauge({
      name: `${prefix}audit_dropped_records`,
      help: 'Audit records dropped because the database failed for too long (should stay 0).',
      registers: [registry],
      collect() {
        this.set(auditStats().dropped);
      },
    });
    new Gauge({
      name: `${prefix}audit_append_wait_seconds`,
      help: 'Time requests waited in all for audit commits to keep the crash-loss bound (worker writer).',
      registers: [registry],
      collect() {
        this.set((auditStats().appendWaitMs ?? 0) / 1000);
      },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    recordRequest({ route, status, durationMs }) {
      const routeLabel = bound('route', route);
      requests.inc({ route: routeLabel, status: String(status) });
      requestDuration.observe({ route: routeLabel }, durationMs / 1000);
    },
    recordBlock({ stage, category }) {
      blocks.inc({ stage, category: bound('category', category) });
    },
    observeGuard({ stage, durationMs }) {
      guardDuration.observe({ stage }, durationMs / 1000);
    },
    recordUpstreamError({ upstream, reason }) {
      upstreamErrors.inc({ upstream: bound('upstream', upstream), reason: bound('reason', reason) });
    },
    recordTokens({ model, input, output }) {
      const modelLabel = bound('model', model);
      if (input !== undefined && input > 0) tokens.inc({ model: modelLabel, direction: 'input' }, input);
      if (output !== undefined && output > 0) tokens.inc({ model: modelLabel, direction: 'output' }, output);
    },
    recordLimited({ reason }) {
      limited.inc({ reason: bound('limit', reason) });
    },
    recordAlert({ type }) {
      alerts.inc({ type: bound('alert', type) });
    },
    render() {
      return registry.metrics();
    },
  };
}
