import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

// Prometheus text exposition format 0.0.4: `# HELP`, `# TYPE`, or `name{labels} value`.
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|\+Inf|-Inf)$/; // Go ParseFloat accepts any case of NaN

function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line).toMatch(SAMPLE);
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

describe('metrics', () => {
  it('renders parseable Prometheus text with every gateway metric', async () => {
    const metrics = createMetrics({
      auditStats: () => ({ queued: 3, written: 10, dropped: 0, failures: 0, appendWaitMs: 250 }),
    });
    metrics.recordRequest({ route: '/v1/chat/completions', status: 200, durationMs: 12 });
    metrics.recordRequest({ route: '/v1/chat/completions', status: 200, durationMs: 3 });
    metrics.recordRequest({ route: '/v1/chat/completions', status: 400, durationMs: 1 });
    metrics.recordBlock({ stage: 'input', category: 'prompt-injection' });
    metrics.observeGuard({ stage: 'input', durationMs: 0.2 });
    metrics.recordUpstreamError({ upstream: 'openai', reason: 'timeout' });
    metrics.recordTokens({ model: 'gpt-4o-mini', input: 120, output: 30 });
    metrics.recordLimited({ reason: 'rpm' });
    metrics.recordAlert({ type: 'rate-spike' });
    const samples = parse(await metrics.render());
    expect(samples.get('aegis_requests_total{route="/v1/chat/completions",status="200"}')).toBe(2);
    expect(samples.get('aegis_requests_total{route="/v1/chat/completions",status="400"}')).toBe(1);
    expect(samples.get('aegis_request_duration_seconds_count{route="/v1/chat/completions"}')).toBe(3);
    expect(samples.get('aegis_blocks_total{stage="input",category="prompt-injection"}')).toBe(1);
    expect(samples.get('aegis_guard_duration_seconds_bucket{le="0.00025",stage="input"}')).toBe(1);
    expect(samples.get('aegis_upstream_errors_total{upstream="openai",reason="timeout"}')).toBe(1);
    expect(samples.get('aegis_tokens_total{model="gpt-4o-mini",direction="output"}')).toBe(30);
    expect(samples.get('aegis_rate_limited_total{reason="rpm"}')).toBe(1);
    expect(samples.get('aegis_anomaly_alerts_total{type="rate-spike"}')).toBe(1);
    expect(samples.get('aegis_audit_queue_records')).toBe(3);
    expect(samples.get('aegis_audit_append_wait_seconds')).toBe(0.25);
    expect([...samples.keys()].some((name) => name.startsWith('aegis_process_'))).toBe(true);
    expect(metrics.contentType).toContain('text/plain');
  });

  it('bounds label values that come from requests', async () => {
    const metrics = createMetrics({ maxLabelValues: 3, processMetrics: false });
    for (let index = 0; index < 50; index += 1) metrics.recordTokens({ model: `model-${index}`, input: 1 });
    const samples = parse(await metrics.render());
    const series = [...samples.keys()].filter((name) => name.startsWith('aegis_tokens_total'));
    expect(series).toHaveLength(4);
    expect(samples.get('aegis_tokens_total{model="other",direction="input"}')).toBe(47);
  });

  it('keeps separate registries per instance', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.recordRequest({ route: '/x', status: 200, durationMs: 1 });
    expect(await b.render()).not.toContain('route="/x"');
  });
});
