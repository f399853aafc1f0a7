// The worker writer as the gateway uses it: order, durability, bytes on disk, a second process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './audit-chain.js';
import { createAuditLog } from './audit-log.js';
import { openDatabase } from './open-database.js';
import { auditEntry, tick, useWorkerAuditFixture } from './test-support/audit-test-helpers.js';

const appender = fileURLToPath(new URL('./__fixtures__/audit-appender.ts', import.meta.url));
const fixture = useWorkerAuditFixture();
const { workerLog, requestIds } = fixture;
const entry = auditEntry;

function runAppender(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', appender, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('audit log with the worker writer', () => {
  it('commits many batches in order, as one verifiable chain', async () => {
    const log = workerLog({ maxBatch: 40 });
    expect(log.stats().writer).toBe('worker');
    for (let index = 1; index <= 800; index += 1) {
      log.append(entry(index));
      if (index % 25 === 0) await tick();
    }
    log.close();
    expect(log.stats()).toMatchObject({ queued: 0, written: 800, dropped: 0, failures: 0 });
    expect(requestIds()).toEqual(Array.from({ length: 800 }, (_, index) => `req-${index + 1}`));
    expect(log.verify()).toMatchObject({ ok: true, count: 800, head: { sequence: 800 } });
  });

  it('returns from append before the write, and flush makes the records visible to other connections', () => {
    const log = workerLog({ flushIntervalMs: 60_000 });
    for (let index = 1; index <= 5; index += 1) log.append(entry(index));
    expect(log.stats()).toMatchObject({ queued: 5, written: 0 });
    log.flush();
    expect(log.stats()).toMatchObject({ queued: 0, written: 5 });
    const other = openDatabase({ dataDir: fixture.dataDir });
    expect(other.prepare('SELECT COUNT(*) FROM audit_records').pluck().get()).toBe(5);
    other.close();
  });

  it('writes everything on close, and drops (and counts) what comes after', () => {
    const errors: unknown[] = [];
    const log = workerLog({ flushIntervalMs: 60_000, onError: (error) => errors.push(error) });
    for (let index = 1; index <= 37; index += 1) log.append(entry(index));
    log.close();
    log.append(entry(38));
    expect(log.stats()).toMatchObject({ written: 37, dropped: 1 });
    expect(errors).toEqual([expect.objectContaining({ code: 'AEGIS_STORE_FAILED' })]);
    expect(createAuditLog({ database: fixture.database, writer: 'thread' }).verify()).toMatchObject({
      ok: true,
      count: 37,
    });
  });

  it('stores the same bytes as the in-thread writer, and still encrypts full payloads', async () => {
    const clock = () => Date.UTC(2026, 0, 2, 3, 4, 5);
    const payload = { redacted: { prompt: 'mail <EMAIL_ADDRESS_1>', n: [1, 2.5, null] } };
    const thread = createAuditLog({ database: fixture.database, writer: 'thread', clock });
    thread.append(entry(1, { payload }));
    thread.close();
    const worker = workerLog({ clock });
    worker.append(entry(1, { payload }));
    worker.close();
    const rows = fixture.database.prepare('SELECT id, record FROM audit_records ORDER BY sequence').all() as {
      id: string;
      record: string;
    }[];
    const [first, second] = rows.map((row) => row.record.replace(row.id, 'ID').replace(/"sequence":\d+/, ''));
    expect(second).toBe(first);
    // What the writer did before it had parts: canonicalJson of the whole record.
    for (const row of rows) expect(canonicalJson(JSON.parse(row.record))).toBe(row.record);

    const key = randomBytes(32);
    const sealed = workerLog({ payloads: 'full', encryptionKey: key });
    sealed.append(entry(3, { payload: { full: { prompt: 'my email is alice@example.com' } } }));
    sealed.close();
    expect(JSON.stringify(sealed.tail(1))).not.toContain('alice@example.com');
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    await sealed.exportJsonl(output, { decryptionKey: key, afterSequence: 2 });
    expect(JSON.parse(text).payload).toEqual({ decrypted: { prompt: 'my email is alice@example.com' } });
    expect(sealed.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it('keeps one linear chain with another process appending to the same file', async () => {
    const log = workerLog({ maxBatch: 20 });
    const child = runAppender([fixture.dataDir, '300', 'child']);
    for (let index = 1; index <= 300; index += 1) {
      log.append(entry(index));
      if (index % 5 === 0) await tick();
    }
    expect(await child).toBe(0);
    log.close();
    expect(log.verify()).toMatchObject({ ok: true, count: 600 });
    const ids = requestIds();
    const ours = ids.filter((id) => id.startsWith('req-'));
    const theirs = ids.filter((id) => id.startsWith('child-'));
    expect(ours).toEqual(Array.from({ length: 300 }, (_, index) => `req-${index + 1}`));
    expect(theirs).toEqual(Array.from({ length: 300 }, (_, index) => `child-${index + 1}`));
  });

  it('lets a process end without close only after its records are committed', async () => {
    expect(await runAppender([fixture.dataDir, '45', 'child', 'no-close'])).toBe(0);
    expect(createAuditLog({ database: fixture.database, writer: 'thread' }).verify()).toMatchObject({
      ok: true,
      count: 45,
    });
  });
});
