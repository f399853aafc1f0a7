import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import type { Guard } from '../../guard/types.js';
import type { AuditEntry } from '../../store/audit-record.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

/** A guard whose checks fail, as a crashed or misconfigured back-end would. */
function brokenGuard(): Guard {
  const real = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
  return {
    ...real,
    check() {
      throw new Error('detector back-end unavailable');
    },
  };
}

function recordingAudit() {
  const entries: AuditEntry[] = [];
  return {
    entries,
    append(entry: AuditEntry) {
      entries.push(entry);
      return { id: String(entries.length) };
    },
    flush() {},
    close() {},
  };
}

const request = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }] }),
  });

describe('when a check fails', () => {
  let closed: TestGateway;
  let open: TestGateway;
  const openAudit = recordingAudit();
  beforeAll(async () => {
    closed = await startTestGateway({}, { guard: brokenGuard() });
    open = await startTestGateway(
      { failMode: { default: 'open' } },
      { guard: brokenGuard(), audit: openAudit },
    );
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
  });

  it('fails closed by default', async () => {
    const response = await request(closed.url);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('AEGIS_GUARD_FAILED');
  });

  it('lets traffic through when configured to fail open, and audits every bypass', async () => {
    const response = await request(open.url);
    expect(response.status).toBe(200);
    const entry = openAudit.entries.at(-1);
    expect(entry?.bypasses?.map((bypass) => bypass.reason).join(' ')).toMatch(/input check failed/);
    expect(entry?.bypasses?.some((bypass) => bypass.family === 'output')).toBe(true);
  });
});
