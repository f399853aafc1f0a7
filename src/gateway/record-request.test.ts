import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../monitor/metrics.js';
import { createRequestMonitor } from '../monitor/request-monitor.js';
import { startTestGateway, type TestGateway } from './test-support/start-test-gateway.js';

// Anyone can send requests to made-up paths (a 404 needs no key). Metrics keep the first 100 values of
// each label and fold the rest into `other`, so made-up paths must not use up the route label.
describe('metrics of requests to unknown routes', () => {
  let test: TestGateway;
  beforeAll(async () => {
    const metrics = createMetrics({ processMetrics: false });
    test = await startTestGateway({}, { monitor: createRequestMonitor({ metrics }) });
  });
  afterAll(() => test.close());

  it('count them under one route label, so real routes keep their own', async () => {
    for (let index = 0; index < 120; index++) {
      const answer = await fetch(`${test.url}/v1/made-up-${index}`, { method: 'POST' });
      expect(answer.status).toBe(404);
    }
    const answer = await fetch(`${test.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: 'hello' }),
    });
    expect(answer.status).toBe(200);
    const text = await (await fetch(`${test.url}/metrics`)).text();
    expect(text).toContain('aegis_requests_total{route="/v1/embeddings",status="200"} 1');
    expect(text).toContain('aegis_requests_total{route="unknown",status="404"} 120');
    expect(text).not.toContain('made-up');
  });
});
