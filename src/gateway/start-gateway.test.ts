import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../guard/test-support/sample-detectors.js';
import { createLogger } from '../monitor/logger.js';
import { parseGatewayConfig } from './config/load-gateway-config.js';
import { type StartedGateway, startGateway } from './start-gateway.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

describe('startGateway wiring (stores, admin, metrics)', () => {
  let dataDir: string;
  let started: StartedGateway;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-start-'));
    started = await startGateway({
      config: parseGatewayConfig({ port: 0, dataDir, logging: { level: 'silent' } }),
      environment: { AEGIS_ADMIN_TOKEN: ADMIN_TOKEN },
      logger: createLogger({ level: 'silent' }),
      guard: createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS }),
    });
  });
  afterAll(async () => {
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('mounts the admin endpoints behind the admin token; a key created there is enforced at once', async () => {
    expect((await fetch(`${started.url}/admin/keys`)).status).toBe(401);
    const created = await fetch(`${started.url}/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ name: 'svc' }),
    });
    expect(created.status).toBeLessThan(300);
    const { key } = (await created.json()) as { key: string };
    expect(key).toMatch(/^aegis_sk_/);
    const ask = (authorization?: string) =>
      fetch(`${started.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
    expect((await ask()).status).toBe(401);
    expect((await ask(`Bearer ${key}`)).status).toBe(200);
  });

  it('keeps requiring a key after the last key is revoked (fail closed)', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const listed = (await (await fetch(`${started.url}/admin/keys`, { headers: admin })).json()) as {
      data: { id: string; revokedAt: string | null }[];
    };
    for (const record of listed.data.filter((key) => key.revokedAt === null)) {
      const revoked = await fetch(`${started.url}/admin/keys/${record.id}`, {
        method: 'DELETE',
        headers: admin,
      });
      expect(revoked.status).toBe(200);
    }
    const anonymous = await fetch(`${started.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('AEGIS_AUTH_MISSING');
  });

  it('checks the admin token before it reads or parses a body', async () => {
    for (const [contentType, body] of [
      ['text/plain', 'x'],
      ['application/json', '{not json'],
      ['application/json', `{"name":"${'a'.repeat(70_000)}"}`],
    ] as const) {
      for (const authorization of [undefined, 'Bearer wrong-token']) {
        const answer = await fetch(`${started.url}/admin/keys`, {
          method: 'POST',
          headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
          body,
        });
        expect(answer.status, `${contentType} ${body.slice(0, 10)}`).toBe(401);
        expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
          'AEGIS_ADMIN_TOKEN_INVALID',
        );
      }
    }
  });

  it('refuses an admin body with a member name written twice', async () => {
    const answer = await fetch(`${started.url}/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: '{"name":"svc","models":["a"],"models":["b"]}',
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
      'AEGIS_JSON_DUPLICATE_MEMBER',
    );
  });

  it('serves metrics from the monitor', async () => {
    const text = await (await fetch(`${started.url}/metrics`)).text();
    expect(text).toMatch(/aegis_/);
  });
});
