import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../monitor/logger.js';
import { createMetrics } from '../../monitor/metrics.js';
import { createRequestMonitor } from '../../monitor/request-monitor.js';
import { isAegisError } from '../../spec/errors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { type StartedGateway, startGateway } from '../start-gateway.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { createMetricsAccess } from './metrics-access.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

async function scrape(url: string, token?: string): Promise<{ status: number; code?: string; body: string }> {
  const response = await fetch(`${url}/metrics`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const body = await response.text();
  if (response.status === 200) return { status: 200, body };
  return {
    status: response.status,
    code: (JSON.parse(body) as { error: { code: string } }).error.code,
    body,
  };
}

function refusal(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return isAegisError(error) ? error.code : 'not an AegisError';
  }
}

describe('/metrics on loopback without a metrics token', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway(
      {},
      { monitor: createRequestMonitor({ metrics: createMetrics({ processMetrics: false }) }) },
    );
  });
  afterAll(() => test.close());

  it('stays open, as before', async () => {
    const answer = await scrape(test.url);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('aegis_requests_total');
  });
});

describe('/metrics with a metrics token and an admin token (the gateway as `aegis gateway` wires it)', () => {
  let dataDir: string;
  let started: StartedGateway;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-metrics-'));
    started = await startGateway({
      config: parseGatewayConfig({ host: '127.0.0.1', port: 0, dataDir, logging: { level: 'silent' } }),
      environment: { AEGIS_METRICS_TOKEN: METRICS_TOKEN, AEGIS_ADMIN_TOKEN: ADMIN_TOKEN },
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('needs one of the two tokens, even on loopback once a metrics token is set', async () => {
    expect(await scrape(started.url)).toMatchObject({ status: 401, code: 'AEGIS_METRICS_TOKEN_INVALID' });
    const wrong = await scrape(started.url, `${METRICS_TOKEN}x`);
    expect(wrong).toMatchObject({ status: 401, code: 'AEGIS_METRICS_TOKEN_INVALID' });
    // The refusal never repeats a token.
    expect(wrong.body).not.toContain(METRICS_TOKEN);
    expect((await scrape(started.url, METRICS_TOKEN)).status).toBe(200);
    const byAdmin = await scrape(started.url, ADMIN_TOKEN);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toContain('aegis_requests_total');
    // Other service routes are unchanged.
    expect((await fetch(`${started.url}/healthz`)).status).toBe(200);
  });
});

describe('/metrics with metrics.public', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway(
      { metrics: { enabled: true, public: true } },
      {
        monitor: createRequestMonitor({ metrics: createMetrics({ processMetrics: false }) }),
        environment: { AEGIS_METRICS_TOKEN: METRICS_TOKEN },
      },
    );
  });
  afterAll(() => test.close());

  it('is open although a token is set', async () => {
    expect((await scrape(test.url)).status).toBe(200);
  });
});

describe('who may scrape a gateway on a non-loopback address', () => {
  const headers = (token: string) => ({ authorization: `Bearer ${token}` });
  const admin = {
    authorize(bag: Record<string, string | string[] | undefined>) {
      if (bag.authorization !== `Bearer ${ADMIN_TOKEN}`) throw new Error('wrong admin token');
    },
  };

  it('needs the metrics token or the admin token by default', () => {
    const access = createMetricsAccess({
      loopback: false,
      public: false,
      environment: { AEGIS_METRICS_TOKEN: METRICS_TOKEN },
      admin,
    });
    expect(access.mode).toBe('token');
    expect(refusal(() => access.authorize({}))).toBe('AEGIS_METRICS_TOKEN_INVALID');
    expect(refusal(() => access.authorize(headers('guess-guess-guess-guess')))).toBe(
      'AEGIS_METRICS_TOKEN_INVALID',
    );
    expect(refusal(() => access.authorize(headers(METRICS_TOKEN)))).toBeUndefined();
    expect(refusal(() => access.authorize(headers(ADMIN_TOKEN)))).toBeUndefined();
  });

  it('refuses every scrape when no token is configured, and says how to fix it', () => {
    const access = createMetricsAccess({ loopback: false, public: false, environment: {} });
    expect(access.unusable).toBe(true);
    expect(() => access.authorize(headers(METRICS_TOKEN))).toThrow(/AEGIS_METRICS_TOKEN.*metrics\.public/);
  });

  it('reads the token from the variable metrics.tokenEnv names', () => {
    const access = createMetricsAccess({
      loopback: false,
      public: false,
      tokenEnv: 'SCRAPE_TOKEN',
      environment: { SCRAPE_TOKEN: METRICS_TOKEN, AEGIS_METRICS_TOKEN: ADMIN_TOKEN },
    });
    expect(refusal(() => access.authorize(headers(METRICS_TOKEN)))).toBeUndefined();
    expect(refusal(() => access.authorize(headers(ADMIN_TOKEN)))).toBe('AEGIS_METRICS_TOKEN_INVALID');
  });

  it('is open with metrics.public, and refuses a short token at start', () => {
    expect(createMetricsAccess({ loopback: false, public: true, environment: {} }).mode).toBe('open');
    expect(
      refusal(() =>
        createMetricsAccess({
          loopback: false,
          public: false,
          environment: { AEGIS_METRICS_TOKEN: 'short' },
        }),
      ),
    ).toBe('AEGIS_CONFIG_INVALID');
  });
});
