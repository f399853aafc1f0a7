import { describe, expect, it } from 'vitest';
import { createAnomalyDetector } from './anomaly-detector.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createRequestMonitor, type MonitoredRequest } from './request-monitor.js';

const BASE: MonitoredRequest = {
  route: '/v1/chat/completions',
  method: 'POST',
  status: 200,
  durationMs: 5,
  keyId: 'key_1',
  model: 'gpt-4o-mini',
  upstream: 'openai',
  inputAction: 'allow',
  outputAction: 'allow',
  blockedCategories: [],
  guardMs: 0.4,
  tokens: { input: 10, output: 20 },
  streamed: false,
  errorCode: null,
};

describe('request monitor', () => {
  it('feeds metrics and anomaly detection from one observation', async () => {
    const lines: string[] = [];
    let now = Date.UTC(2026, 0, 1);
    const metrics = createMetrics({ processMetrics: false });
    const monitor = createRequestMonitor({
      metrics,
      anomalyDetector: createAnomalyDetector({ clock: () => now }),
      logger: createLogger({ write: (line) => lines.push(line) }),
    });
    monitor.observe(BASE);
    for (let index = 0; index < 6; index += 1) {
      now += 1000;
      monitor.observe({
        ...BASE,
        status: 400,
        inputAction: 'block',
        blockedCategories: ['prompt-injection'],
        tokens: null,
      });
    }
    monitor.observe({ ...BASE, status: 429, errorCode: 'AEGIS_RATE_LIMITED', tokens: null, guardMs: 0 });
    monitor.upstreamFailure({ upstream: 'openai', code: 'AEGIS_UPSTREAM_TIMEOUT' });
    const { body, contentType } = await monitor.render();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('aegis_requests_total{route="/v1/chat/completions",status="400"} 6');
    expect(body).toContain('aegis_blocks_total{stage="input",category="prompt-injection"} 6');
    expect(body).toContain('aegis_rate_limited_total{reason="rate"} 1');
    expect(body).toContain(
      'aegis_upstream_errors_total{upstream="openai",reason="AEGIS_UPSTREAM_TIMEOUT"} 1',
    );
    expect(body).toContain('aegis_anomaly_alerts_total{type="blocked-rise"} 1');
    expect(lines.join('')).toContain('"alert":"blocked-rise"');
  });
});
