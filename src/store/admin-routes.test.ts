import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAegisError } from '../spec/errors.js';
import { createAdminRoutes } from './admin-routes.js';
import { createAdminAuth } from './admin-token.js';
import { openStores, type Stores } from './open-stores.js';

const TOKEN = 'admin-token-0123456789abcdef';
let dataDir: string;
let stores: Stores;
let server: Server;
let base: string;

// A minimal server mounting the admin routes the way the gateway does: parse JSON for POST, map errors.
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-admin-'));
  stores = openStores({ dataDir });
  const routes = createAdminRoutes({
    auth: createAdminAuth({ token: TOKEN }),
    keyStore: stores.keyStore,
    limiter: stores.limiter,
    auditLog: stores.auditLog,
  });
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      try {
        if (!routes.matches(request.url ?? '')) throw new Error('not admin');
        const body = routes.needsBody(request.method ?? 'GET') && text !== '' ? JSON.parse(text) : undefined;
        const result = routes.handle({
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: request.headers,
          body,
        });
        response
          .writeHead(result.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(result.body));
      } catch (error) {
        const code = isAegisError(error) ? error.code : 'AEGIS_INTERNAL';
        const status = code === 'AEGIS_ADMIN_TOKEN_INVALID' ? 401 : code.includes('NOT_FOUND') ? 404 : 400;
        response
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('admin routes over HTTP', () => {
  it('refuses requests without the right admin token', async () => {
    expect(await call('GET', '/admin/keys')).toEqual({
      status: 401,
      body: { error: { code: 'AEGIS_ADMIN_TOKEN_INVALID' } },
    });
    expect((await call('GET', '/admin/keys', { token: `${TOKEN}x` })).status).toBe(401);
  });

  it('creates, lists, shows usage of and revokes keys', async () => {
    const created = await call('POST', '/admin/keys', {
      token: TOKEN,
      body: { name: 'svc', rpm: 10, dailyTokens: 5000 },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const record = created.body.record as { id: string };
    expect(stores.keyStore.verify(key).ok).toBe(true);

    const listed = await call('GET', '/admin/keys', { token: TOKEN });
    expect(JSON.stringify(listed.body)).toContain(record.id);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const usage = await call('GET', `/admin/keys/${record.id}/usage`, { token: TOKEN });
    expect(usage.body).toMatchObject({ inFlight: 0, requestsAvailable: 10, tokensToday: 0 });

    const revoked = await call('DELETE', `/admin/keys/${record.id}`, { token: TOKEN });
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(stores.keyStore.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
    expect((await call('DELETE', '/admin/keys/key_unknown', { token: TOKEN })).status).toBe(404);
  });

  it('validates bodies and exposes audit verify and tail', async () => {
    const bad = await call('POST', '/admin/keys', { token: TOKEN, body: { name: 'x', rpm: 'lots' } });
    expect(bad).toEqual({ status: 400, body: { error: { code: 'AEGIS_INVALID_ARGUMENT' } } });
    stores.auditLog.append({ requestId: 'r1', route: '/v1/models', status: 200, latencyMs: 1 });
    stores.auditLog.flush();
    expect((await call('GET', '/admin/audit/verify', { token: TOKEN })).body).toMatchObject({
      ok: true,
      count: 1,
    });
    const tail = await call('GET', '/admin/audit/tail?n=5', { token: TOKEN });
    expect((tail.body.data as unknown[]).length).toBe(1);
  });
});

describe('admin token', () => {
  it('is disabled without a token and rejects short tokens', () => {
    expect(createAdminAuth({ env: {} }).enabled).toBe(false);
    expect(createAdminAuth({ env: {} }).check({ authorization: 'Bearer ' })).toBe(false);
    expect(() => createAdminAuth({ token: 'short' })).toThrowError(
      expect.objectContaining({ code: 'AEGIS_CONFIG_INVALID' }),
    );
    const auth = createAdminAuth({ env: { AEGIS_ADMIN_TOKEN: TOKEN } });
    expect(auth.check({ authorization: `Bearer ${TOKEN}` })).toBe(true);
    expect(auth.check({ authorization: `Bearer ${TOKEN.slice(0, -1)}` })).toBe(false);
  });
});
