import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLimiter, type LimitRejection, limitError } from './limiter.js';
import { type Database, openDatabase } from './open-database.js';
import { createTokenBudgetStore } from './token-budget-store.js';

let dataDir: string;
let database: Database;
let now: number;
const clock = () => now;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-limits-'));
  database = openDatabase({ dataDir });
  now = Date.UTC(2026, 0, 15, 12, 0, 0);
});
afterEach(() => {
  database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('limiter', () => {
  it('limits requests per minute and says when to retry', () => {
    const limiter = createLimiter({ clock });
    const key = { id: 'k1', rpm: 3 };
    for (let index = 0; index < 3; index += 1) expect(limiter.admit(key).ok).toBe(true);
    const refused = limiter.admit(key) as LimitRejection;
    expect(refused).toMatchObject({ ok: false, reason: 'rpm', code: 'AEGIS_RATE_LIMITED', retryAfter: 20 });
    now += 20_000; // one request's worth of refill (60 s / 3)
    expect(limiter.admit(key).ok).toBe(true);
    expect(limiter.admit(key).ok).toBe(false);
    const error = limitError(refused);
    expect(error.code).toBe('AEGIS_RATE_LIMITED');
    expect(error.details).toMatchObject({ retryAfter: 20, reason: 'rpm' });
  });

  it('limits tokens per minute, settling estimates against real usage', () => {
    const limiter = createLimiter({ clock });
    const key = { id: 'k2', tpm: 1000 };
    const first = limiter.admit(key, { estimatedTokens: 400 });
    if (!first.ok) throw new Error('expected admission');
    first.lease.release({ tokens: 900 }); // overran the estimate by 500
    expect(limiter.usage(key).tokensAvailable).toBe(100);
    const refused = limiter.admit(key, { estimatedTokens: 300 });
    expect(refused).toMatchObject({ ok: false, reason: 'tpm', retryAfter: 12 });
    now += 12_000;
    expect(limiter.admit(key, { estimatedTokens: 300 }).ok).toBe(true);
  });

  it('limits concurrency with acquire and release', () => {
    const limiter = createLimiter({ clock });
    const key = { id: 'k3', concurrency: 2 };
    const a = limiter.admit(key);
    const b = limiter.admit(key);
    expect(limiter.admit(key)).toMatchObject({ ok: false, code: 'AEGIS_CONCURRENCY_LIMITED', retryAfter: 1 });
    if (!a.ok || !b.ok) throw new Error('expected admissions');
    a.lease.release();
    a.lease.release(); // a second release changes nothing
    expect(limiter.usage(key).inFlight).toBe(1);
    expect(limiter.admit(key).ok).toBe(true);
    expect(limiter.admit(key).ok).toBe(false);
  });

  it('enforces a daily token budget persisted in SQLite across restarts and resets at UTC midnight', () => {
    const key = { id: 'k4', dailyTokens: 1000 };
    const first = createLimiter({ clock, budgetStore: createTokenBudgetStore({ database }) });
    const lease = first.admit(key, { estimatedTokens: 100 });
    if (!lease.ok) throw new Error('expected admission');
    // While in flight the estimate is reserved.
    expect(first.admit(key, { estimatedTokens: 950 })).toMatchObject({ ok: false, reason: 'daily-tokens' });
    lease.lease.release({ tokens: 700 });
    first.close();

    const restarted = createLimiter({ clock, budgetStore: createTokenBudgetStore({ database }) });
    expect(restarted.usage(key).tokensToday).toBe(700);
    const refused = restarted.admit(key, { estimatedTokens: 301 });
    expect(refused).toMatchObject({ ok: false, code: 'AEGIS_TOKEN_BUDGET_EXCEEDED', retryAfter: 12 * 3600 });
    const last = restarted.admit(key, { estimatedTokens: 300 });
    if (!last.ok) throw new Error('expected admission');
    last.lease.release({ tokens: 300 });
    expect(restarted.admit(key, { estimatedTokens: 1 })).toMatchObject({ ok: false, reason: 'daily-tokens' });
    now = Date.UTC(2026, 0, 16, 0, 0, 1);
    expect(restarted.usage(key).tokensToday).toBe(0);
    expect(restarted.admit(key, { estimatedTokens: 900 }).ok).toBe(true);
    restarted.close();
  });

  it('treats absent limits as unlimited', () => {
    const limiter = createLimiter({ clock });
    for (let index = 0; index < 1000; index += 1) expect(limiter.admit({ id: 'open' }).ok).toBe(true);
  });
});
