// Cost of the persistence and monitoring steps on the gateway's request path (`npm run bench -- store`).
// Each result carries a baseline measured in the same run: the floor the step cannot go below.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnomalyDetector } from '../src/monitor/anomaly-detector.js';
import { createMetrics } from '../src/monitor/metrics.js';
import { fingerprintPrompt } from '../src/monitor/prompt-fingerprint.js';
import { createRequestMonitor, type MonitoredRequest } from '../src/monitor/request-monitor.js';
import { openStores } from '../src/store/open-stores.js';

/** Mean microseconds per call of `step` over `count` calls (after a warm-up of count/10). */
function microsPerCall(step: (index: number) => void, count: number): number {
  for (let index = 0; index < count / 10; index += 1) step(index);
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index += 1) step(index);
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

const round = (value: number) => Number(value.toFixed(3));

/** Runs the store and monitor benchmarks. */
export async function run(): Promise<Record<string, unknown>[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-bench-store-'));
  const stores = openStores({ dataDir });
  const results: Record<string, unknown>[] = [];
  try {
    const { key, record } = stores.keyStore.create({
      name: 'bench',
      rpm: 1e9,
      tpm: 1e12,
      concurrency: 1e6,
      dailyTokens: 1e12,
    });
    const second = stores.keyStore.create({ name: 'bench-2' }).key;
    const sha256 = microsPerCall(() => createHash('sha256').update(key).digest(), 100_000);
    const cached = microsPerCall(() => stores.keyStore.verify(key), 100_000);
    results.push({
      name: 'key-verify-cached',
      microsPerCall: round(cached),
      baselineSha256Micros: round(sha256),
    });

    const { createKeyStore } = await import('../src/store/key-store.js');
    const uncachedStore = createKeyStore({ database: stores.database, cacheSize: 1 });
    const uncached = microsPerCall((index) => uncachedStore.verify(index % 2 === 0 ? key : second), 20_000);
    results.push({
      name: 'key-verify-sqlite',
      microsPerCall: round(uncached),
      baselineSha256Micros: round(sha256),
    });

    const unlimited = { id: 'open' };
    const baselineAdmit = microsPerCall(() => {
      const admission = stores.limiter.admit(unlimited);
      if (admission.ok) admission.lease.release({ tokens: 0 });
    }, 100_000);
    const limited = microsPerCall(() => {
      const admission = stores.limiter.admit(record, { estimatedTokens: 100 });
      if (admission.ok) admission.lease.release({ tokens: 120 });
    }, 100_000);
    results.push({
      name: 'limiter-admit-release',
      microsPerCall: round(limited),
      baselineNoLimitsMicros: round(baselineAdmit),
    });

    const entry = {
      requestId: 'req',
      keyId: record.id,
      method: 'POST',
      route: '/v1/chat/completions',
      model: 'gpt-4o-mini',
      upstream: 'openai',
      status: 200,
      latencyMs: 3.2,
      input: {
        action: 'redact',
        findings: [
          {
            family: 'pii',
            category: 'sensitive-data',
            type: 'EMAIL_ADDRESS',
            severity: 'medium',
            ruleId: 'pii.email',
            score: 0.9,
          },
        ],
      },
      output: { action: 'allow', findings: [] },
      tokens: { input: 100, output: 20 },
    };
    const stringify = microsPerCall(() => JSON.stringify(entry), 50_000);
    const appendCost = microsPerCall(() => stores.auditLog.append(entry), 50_000);
    stores.auditLog.flush();
    results.push({
      name: 'audit-append-amortised',
      microsPerCall: round(appendCost),
      baselineJsonStringifyMicros: round(stringify),
      note: 'includes one synchronous batch write per 100 records',
    });
    const verifyStart = process.hrtime.bigint();
    const verification = stores.auditLog.verify();
    const verifySeconds = Number(process.hrtime.bigint() - verifyStart) / 1e9;
    const count = verification.ok ? verification.count : 0;
    results.push({
      name: 'audit-verify',
      records: count,
      recordsPerSecond: Math.round(count / verifySeconds),
      ok: verification.ok,
    });

    const prompt =
      'Classify the sentiment of this product review and explain your reasoning in detail. '.repeat(8);
    const fnvBaseline = microsPerCall(() => prompt.toLowerCase(), 20_000);
    results.push({
      name: 'prompt-fingerprint-600-chars',
      microsPerCall: round(microsPerCall(() => fingerprintPrompt(prompt), 20_000)),
      baselineLowercaseMicros: round(fnvBaseline),
    });

    const observation: MonitoredRequest = {
      route: '/v1/chat/completions',
      method: 'POST',
      status: 200,
      durationMs: 3,
      keyId: record.id,
      model: 'gpt-4o-mini',
      upstream: 'openai',
      inputAction: 'allow',
      outputAction: 'allow',
      blockedCategories: [],
      guardMs: 0.3,
      tokens: { input: 100, output: 20 },
      streamed: false,
      errorCode: null,
      prompt,
    };
    const metricsOnly = createRequestMonitor({ metrics: createMetrics({ processMetrics: false }) });
    const full = createRequestMonitor({
      metrics: createMetrics({ processMetrics: false }),
      anomalyDetector: createAnomalyDetector(),
    });
    results.push({
      name: 'monitor-observe',
      microsPerCall: round(microsPerCall(() => full.observe(observation), 20_000)),
      baselineMetricsOnlyMicros: round(microsPerCall(() => metricsOnly.observe(observation), 20_000)),
    });
  } finally {
    stores.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
