import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { createLogger } from '../../monitor/logger.js';
import { createMetrics } from '../../monitor/metrics.js';
import { createRequestMonitor } from '../../monitor/request-monitor.js';
import { openStores, type Stores } from '../../store/open-stores.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createGateway } from '../server.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

describe('keys, limits, audit and metrics', () => {
  let dataDir: string;
  let stores: Stores;
  let test: TestGateway;
  let key: string;
  let revokedKey: string;
  let limitedKey: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-gateway-'));
    stores = openStores({ dataDir });
    key = stores.keyStore.create({ name: 'app', models: ['gpt-4o-mini'] }).key;
    const revoked = stores.keyStore.create({ name: 'old' });
    revokedKey = revoked.key;
    stores.keyStore.revoke(revoked.record.id);
    limitedKey = stores.keyStore.create({ name: 'tight', rpm: 1 }).key;
    test = await startTestGateway(
      {},
      {
        keys: stores.keyStore,
        limiter: stores.limiter,
        audit: stores.auditLog,
        monitor: createRequestMonitor({ metrics: createMetrics({ processMetrics: false }) }),
      },
    );
  });
  afterAll(async () => {
    await test.close();
    stores.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ask = (apiKey: string, model = 'gpt-4o-mini') =>
    new OpenAI({ baseURL: `${test.url}/v1`, apiKey, maxRetries: 0 }).chat.completions
      .create({ model, messages: [{ role: 'user', content: 'mail bob@example.com' }] })
      .then(
        (reply) => ({ status: 200, code: undefined as string | undefined, reply }),
        (error: InstanceType<typeof OpenAI.APIError>) => ({
          status: error.status,
          code: error.code ?? undefined,
          reply: undefined,
        }),
      );

  it('requires a valid, unrevoked key once keys exist', async () => {
    const missing = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}',
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('AEGIS_AUTH_MISSING');
    expect((await ask('aegis_sk_wrong')).code).toBe('AEGIS_AUTH_INVALID');
    expect((await ask(revokedKey)).code).toBe('AEGIS_KEY_REVOKED');
    expect((await ask(key, 'gpt-4o')).code).toBe('AEGIS_MODEL_NOT_ALLOWED');
    const ok = await ask(key);
    expect(ok.status).toBe(200);
    expect(ok.reply?.choices[0]?.message.content).toContain('bob@example.com');
  });

  it('lists the models of a key that the upstreams serve, also through a `*` upstream', async () => {
    const listed = await fetch(`${test.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { data: { id: string }[] };
    expect(body.data.map((model) => model.id)).toEqual(['gpt-4o-mini']);
  });

  it('limits requests per minute with Retry-After', async () => {
    expect((await ask(limitedKey)).status).toBe(200);
    const limited = await fetch(`${test.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${limitedKey}` },
      body: '{"model":"m","messages":[{"role":"user","content":"x"}]}',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('writes one audit record per request with findings but no raw values', async () => {
    stores.auditLog.flush();
    const records = stores.auditLog.tail(50);
    const served = records.find((record) => record.status === 200 && record.input?.action === 'redact');
    expect(served).toBeDefined();
    expect(served?.input?.findings[0]?.type).toBe('EMAIL_ADDRESS');
    expect(served?.upstream).toBe('simulated');
    expect(records.some((record) => record.errorCode === 'AEGIS_AUTH_MISSING')).toBe(true);
    expect(JSON.stringify(records)).not.toContain('bob@example.com');
    expect(stores.auditLog.verify().ok).toBe(true);
  });

  it('exposes Prometheus metrics', async () => {
    const metrics = await fetch(`${test.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('aegis_');
  });

  it('refuses to bind a non-loopback address without keys', async () => {
    const gateway = createGateway({
      config: parseGatewayConfig({ host: '0.0.0.0', port: 0 }),
      guard: createGuard({ detectors: SAMPLE_DETECTORS }),
      logger: createLogger({ level: 'silent' }),
    });
    await expect(gateway.listen()).rejects.toMatchObject({ code: 'AEGIS_NON_LOOPBACK_WITHOUT_KEYS' });
  });
});
