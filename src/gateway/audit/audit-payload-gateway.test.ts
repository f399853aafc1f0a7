import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import type { Guard } from '../../guard/types.js';
import type { AuditPayloadMode } from '../../store/audit-log.js';
import type { StoredAuditRecord } from '../../store/audit-record.js';
import { openStores, type Stores } from '../../store/open-stores.js';
import { type MockUpstream, startMockUpstream } from '../test-support/mock-upstream.js';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';

const EMAIL = 'jane.doe@example.com';
const PHONE = '+1 415-555-0132';
const AWS_KEY = 'AKIAZ7QW3RTY5UIOP2XC';
const RAW_VALUES = [EMAIL, PHONE, AWS_KEY];
const USER_TEXT = `Write to ${EMAIL} or call ${PHONE}; the deploy key is ${AWS_KEY}.`;
const AUDIT_KEY = randomBytes(32);

/** A gateway in front of the mock upstream, with a real SQLite audit log of its own. */
interface Setup {
  test: TestGateway;
  stores: Stores;
  dataDir: string;
}

async function setUp(options: {
  upstream: MockUpstream;
  guard: Guard;
  payloads: AuditPayloadMode;
  failOpen?: boolean;
  toolDefinitions?: 'block' | 'monitor' | 'off';
}): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-audit-payload-'));
  const stores = openStores({
    dataDir,
    auditWriter: 'thread',
    auditPayloads: options.payloads,
    ...(options.payloads === 'full' ? { auditKey: AUDIT_KEY } : {}),
  });
  const test = await startTestGateway(
    {
      upstreams: [{ name: 'mock', provider: 'openai', baseUrl: options.upstream.url, retries: 0 }],
      audit: { enabled: true, payloads: options.payloads },
      ...(options.failOpen ? { failMode: { default: 'open' as const } } : {}),
      ...(options.toolDefinitions ? { tools: { definitions: options.toolDefinitions } } : {}),
    },
    { guard: options.guard, audit: stores.auditLog },
  );
  return { test, stores, dataDir };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.test.close();
  setup.stores.close();
  rmSync(setup.dataDir, { recursive: true, force: true });
}

/** Sends one chat request; returns the answer, the body the upstream received and the audit record. */
async function send(setup: Setup, upstream: MockUpstream, body: Record<string, unknown>) {
  const before = upstream.received.length;
  const response = await fetch(`${setup.test.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { choices?: { message: { content: string } }[] };
  expect(response.status).toBe(200);
  expect(upstream.received.length).toBe(before + 1);
  const requestId = response.headers.get('x-request-id');
  // The record is appended once the answer is complete, which may be just after the caller has it.
  let record: StoredAuditRecord | undefined;
  for (let attempt = 0; attempt < 200 && record === undefined; attempt++) {
    setup.stores.auditLog.flush();
    record = setup.stores.auditLog.tail(20).find((stored) => stored.requestId === requestId);
    if (record === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(record).toBeDefined();
  return {
    answer: answer.choices?.[0]?.message.content ?? '',
    sent: JSON.stringify(upstream.received.at(-1)!.body),
    record: record!,
  };
}

const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});

/** A guard whose checks fail, as a crashed back-end would. */
function brokenGuard(): Guard {
  const real = createGuard({ policy: 'permissive' });
  return {
    ...real,
    check() {
      throw new Error('detector back-end unavailable');
    },
  };
}

describe('the audit log payload over HTTP', () => {
  let upstream: MockUpstream;
  let permissive: Setup;
  let balanced: Setup;
  let failOpen: Setup;
  let full: Setup;
  let toolMonitor: Setup;
  let toolOff: Setup;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    permissive = await setUp({
      upstream,
      guard: createGuard({ policy: 'permissive' }),
      payloads: 'redacted',
    });
    balanced = await setUp({ upstream, guard: createGuard({ policy: 'balanced' }), payloads: 'redacted' });
    failOpen = await setUp({ upstream, guard: brokenGuard(), payloads: 'redacted', failOpen: true });
    full = await setUp({ upstream, guard: createGuard({ policy: 'permissive' }), payloads: 'full' });
    const guard = createGuard({ policy: 'balanced' });
    toolMonitor = await setUp({ upstream, guard, payloads: 'redacted', toolDefinitions: 'monitor' });
    toolOff = await setUp({ upstream, guard, payloads: 'redacted', toolDefinitions: 'off' });
  });
  afterAll(async () => {
    for (const setup of [permissive, balanced, failOpen, full, toolMonitor, toolOff])
      if (setup) await tearDown(setup);
    await upstream.close();
  });

  it('permissive: the upstream gets what the policy lets through, the audit log only typed masks', async () => {
    const { answer, sent, record } = await send(
      permissive,
      upstream,
      chat(USER_TEXT, { user: EMAIL, metadata: { note: `call me on ${PHONE}` } }),
    );
    // PII is only flagged: it leaves as written; the key is redacted and restored in the answer.
    expect(sent).toContain(EMAIL);
    expect(sent).toContain(PHONE);
    expect(sent).not.toContain(AWS_KEY);
    expect(sent).toContain('<AWS_ACCESS_KEY_ID_1>');
    expect(answer).toBe(`echo: ${USER_TEXT}`);
    expect(record.input?.action).toBe('redact');
    const stored = JSON.stringify(record);
    for (const value of RAW_VALUES) expect(stored).not.toContain(value);
    expect(record.payload).toEqual({
      redacted: {
        model: 'gpt-4o-mini',
        messages: [
          {
            role: 'user',
            content:
              'Write to [REDACTED:EMAIL_ADDRESS] or call [REDACTED:PHONE_NUMBER]; the deploy key is [REDACTED:AWS_ACCESS_KEY_ID].',
          },
        ],
        user: '[REDACTED:EMAIL_ADDRESS]',
        metadata: { note: 'call me on [REDACTED:PHONE_NUMBER]' },
      },
    });
    expect(permissive.stores.auditLog.verify().ok).toBe(true);
  });

  it('permissive: a clean request is stored as sent', async () => {
    const { record } = await send(permissive, upstream, chat('Five days in Lisbon, please.'));
    expect(record.payload).toEqual({ redacted: chat('Five days in Lisbon, please.') });
  });

  it('balanced: unchanged, the body as sent with its placeholders', async () => {
    const { sent, answer, record } = await send(balanced, upstream, chat(USER_TEXT));
    for (const value of RAW_VALUES) expect(sent).not.toContain(value);
    expect(answer).toBe(`echo: ${USER_TEXT}`);
    expect(record.payload).toEqual({ redacted: JSON.parse(sent) });
    expect(JSON.stringify(record.payload)).toContain('<EMAIL_ADDRESS_1>');
  });

  it('fail open: the request goes through, the record names the bypass and keeps only the shape', async () => {
    const { sent, record } = await send(failOpen, upstream, chat(USER_TEXT));
    expect(sent).toContain(EMAIL);
    expect(record.bypasses.map((bypass) => bypass.reason).join(' ')).toMatch(/fail open/);
    const stored = JSON.stringify(record);
    for (const value of RAW_VALUES) expect(stored).not.toContain(value);
    expect(record.payload).toEqual({
      redacted: {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `[OMITTED:${USER_TEXT.length}]` }],
      },
    });
  });

  it('full: unchanged, the original payload encrypted with AES-256-GCM', async () => {
    const original = chat(USER_TEXT);
    const { record } = await send(full, upstream, original);
    expect(record.payload !== undefined && 'encrypted' in record.payload).toBe(true);
    for (const value of RAW_VALUES) expect(JSON.stringify(record)).not.toContain(value);
    let exported = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        exported += String(chunk);
        done();
      },
    });
    await full.stores.auditLog.exportJsonl(sink, { decryptionKey: AUDIT_KEY });
    const line = exported
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { requestId: string; payload: { decrypted: string } })
      .find((entry) => entry.requestId === record.requestId);
    expect(JSON.parse(line!.payload.decrypted)).toEqual(original);
  });

  for (const mode of ['monitor', 'off'] as const) {
    it(`tool definitions checked in ${mode} mode leave no raw value in the audit log`, async () => {
      const tool = {
        type: 'function',
        function: {
          name: 'deploy',
          description: `Deploys the site. Uses the key ${AWS_KEY}; failures are mailed to ${EMAIL}.`,
          parameters: {
            type: 'object',
            properties: { note: { type: 'string', description: `or call ${PHONE}` } },
          },
        },
      };
      const { record } = await send(
        mode === 'monitor' ? toolMonitor : toolOff,
        upstream,
        chat('Deploy it.', { tools: [tool] }),
      );
      const stored = JSON.stringify(record);
      for (const value of RAW_VALUES) expect(stored).not.toContain(value);
    });
  }
});
