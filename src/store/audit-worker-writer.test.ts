import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PendingAuditRecord, toPendingRecord } from './audit-batch-writer.js';
import { canonicalJson } from './audit-chain.js';
import { type AuditLog, type AuditLogOptions, createAuditLog } from './audit-log.js';
import { createAuditReader } from './audit-reader.js';
import { type AuditEntry, toRecordBody } from './audit-record.js';
import { createWorkerAuditWriter } from './audit-worker-writer.js';
import { type Database, openDatabase } from './open-database.js';

const appender = fileURLToPath(new URL('./__fixtures__/audit-appender.ts', import.meta.url));
let dataDir: string;
let database: Database;
const opened: AuditLog[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-audit-worker-'));
  database = openDatabase({ dataDir });
});
afterEach(() => {
  for (const log of opened.splice(0)) log.close();
  database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function workerLog(options: Partial<AuditLogOptions> = {}): AuditLog {
  const log = createAuditLog({ database, writer: 'worker', ...options });
  opened.push(log);
  return log;
}

function entry(index: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId: `req-${index}`,
    keyId: 'key_1',
    route: '/v1/chat/completions',
    status: 200,
    latencyMs: 3.25,
    input: {
      action: 'allow',
      findings: [{ type: 'EMAIL_ADDRESS', severity: 'medium', score: 0.9, start: 1, end: 9 }],
    },
    ...extra,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function runAppender(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', appender, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function requestIds(): string[] {
  return (
    database.prepare('SELECT record FROM audit_records ORDER BY sequence').pluck().all() as string[]
  ).map((record) => (JSON.parse(record) as { requestId: string }).requestId);
}

describe('audit log with the worker writer', () => {
  it('commits many batches in order, as one verifiable chain', async () => {
    const log = workerLog({ maxBatch: 40 });
    expect(log.stats().writer).toBe('worker');
    for (let index = 1; index <= 1500; index += 1) {
      log.append(entry(index));
      if (index % 25 === 0) await tick();
    }
    log.close();
    expect(log.stats()).toMatchObject({ queued: 0, written: 1500, dropped: 0, failures: 0 });
    expect(requestIds()).toEqual(Array.from({ length: 1500 }, (_, index) => `req-${index + 1}`));
    expect(log.verify()).toMatchObject({ ok: true, count: 1500, head: { sequence: 1500 } });
  });

  it('returns from append before the write, and flush makes the records visible to other connections', () => {
    const log = workerLog({ flushIntervalMs: 60_000 });
    for (let index = 1; index <= 5; index += 1) log.append(entry(index));
    expect(log.stats()).toMatchObject({ queued: 5, written: 0 });
    log.flush();
    expect(log.stats()).toMatchObject({ queued: 0, written: 5 });
    const other = openDatabase({ dataDir });
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
    expect(createAuditLog({ database, writer: 'thread' }).verify()).toMatchObject({ ok: true, count: 37 });
  });

  it('stores the same bytes as the in-thread writer, and still encrypts full payloads', async () => {
    const clock = () => Date.UTC(2026, 0, 2, 3, 4, 5);
    const payload = { redacted: { prompt: 'mail <EMAIL_ADDRESS_1>', n: [1, 2.5, null] } };
    const thread = createAuditLog({ database, writer: 'thread', clock });
    thread.append(entry(1, { payload }));
    thread.close();
    const worker = workerLog({ clock });
    worker.append(entry(1, { payload }));
    worker.close();
    const rows = database.prepare('SELECT id, record FROM audit_records ORDER BY sequence').all() as {
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
    const child = runAppender([dataDir, '600', 'child']);
    for (let index = 1; index <= 600; index += 1) {
      log.append(entry(index));
      if (index % 5 === 0) await tick();
    }
    expect(await child).toBe(0);
    log.close();
    expect(log.verify()).toMatchObject({ ok: true, count: 1200 });
    const ids = requestIds();
    const ours = ids.filter((id) => id.startsWith('req-'));
    const theirs = ids.filter((id) => id.startsWith('child-'));
    expect(ours).toEqual(Array.from({ length: 600 }, (_, index) => `req-${index + 1}`));
    expect(theirs).toEqual(Array.from({ length: 600 }, (_, index) => `child-${index + 1}`));
  });

  it('lets a process end without close only after its records are committed', async () => {
    expect(await runAppender([dataDir, '45', 'child', 'no-close'])).toBe(0);
    expect(createAuditLog({ database, writer: 'thread' }).verify()).toMatchObject({ ok: true, count: 45 });
  });
});

describe('audit worker failures', () => {
  it('counts and reports failures while the database is locked, and retries until it is not', async () => {
    database.pragma('busy_timeout = 20'); // the worker's connection uses the same timeout
    const errors: unknown[] = [];
    const log = workerLog({
      maxBatch: 10,
      maxQueue: 20,
      flushIntervalMs: 10,
      onError: (error) => errors.push(error),
    });
    const locker = openDatabase({ dataDir });
    locker.exec('BEGIN IMMEDIATE');
    // More than a batch while the writes fail: append neither throws nor waits for room.
    for (let index = 1; index <= 30; index += 1) log.append(entry(index));
    await until(() => log.stats().dropped > 0, 'the oldest records to be dropped');
    expect(errors[0]).toMatchObject({ code: 'AEGIS_STORE_FAILED' });
    expect(() => log.flush()).toThrowError(expect.objectContaining({ code: 'AEGIS_STORE_FAILED' }));
    const failing = log.stats();
    expect(failing.failures).toBeGreaterThanOrEqual(2);
    expect(failing.dropped + failing.queued).toBe(30);
    expect(failing.written).toBe(0);

    locker.exec('COMMIT');
    locker.close();
    await until(() => log.stats().queued === 0, 'the retry to succeed');
    expect(log.stats()).toMatchObject({ written: 20, dropped: 10 });
    // The newest records were kept.
    expect(requestIds()).toEqual(Array.from({ length: 20 }, (_, index) => `req-${index + 11}`));
    expect(log.verify()).toMatchObject({ ok: true, count: 20 });
  });

  it('ends a flush that the worker does not answer in time with AEGIS_TIMEOUT, and answers later ones', async () => {
    database.pragma('busy_timeout = 3000');
    const log = workerLog({ workerReplyTimeoutMs: 50, flushIntervalMs: 60_000 });
    const locker = openDatabase({ dataDir });
    locker.exec('BEGIN IMMEDIATE');
    log.append(entry(1));
    // The worker waits for the lock (busy timeout) longer than the caller waits for the worker.
    expect(() => log.flush()).toThrowError(expect.objectContaining({ code: 'AEGIS_TIMEOUT' }));
    locker.exec('COMMIT');
    locker.close();
    await until(() => log.stats().written === 1, 'the delayed write');
    log.append(entry(2));
    log.flush();
    expect(log.stats()).toMatchObject({ written: 2, queued: 0, failures: 0 });
    expect(log.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('reports records it could not write before closing as dropped', () => {
    database.pragma('busy_timeout = 20');
    const log = workerLog({ flushIntervalMs: 60_000 });
    const locker = openDatabase({ dataDir });
    locker.exec('BEGIN IMMEDIATE');
    for (let index = 1; index <= 3; index += 1) log.append(entry(index));
    expect(() => log.close()).toThrowError(expect.objectContaining({ code: 'AEGIS_STORE_FAILED' }));
    expect(log.stats()).toMatchObject({ queued: 0, written: 0, dropped: 3 });
    locker.exec('COMMIT');
    locker.close();
  });

  it('falls back to the in-thread writer, with a warning, when the worker cannot start', () => {
    const warnings: string[] = [];
    const log = workerLog({ workerStartTimeoutMs: 0, onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([expect.stringContaining('the audit worker could not start')]);
    expect(log.stats().writer).toBe('thread');
    log.append(entry(1));
    log.close();
    expect(log.verify()).toMatchObject({ ok: true, count: 1 });
  });
});

describe('audit worker stopping unasked', () => {
  it('hands the records it had not committed to an in-thread writer, without losing or repeating any', async () => {
    createAuditReader({ database }); // creates the table
    const warnings: string[] = [];
    const sink = createWorkerAuditWriter({
      database,
      maxPayloadBytes: 1024,
      flushIntervalMs: 5,
      maxBatch: 100,
      maxQueue: 1000,
      startTimeoutMs: 10_000,
      replyTimeoutMs: 10_000,
      maxAppendWaitMs: 1000,
      onWarning: (message) => warnings.push(message),
      entry: new URL('./__fixtures__/audit-worker-dying.mjs', import.meta.url),
    });
    const pending = (index: number): PendingAuditRecord =>
      toPendingRecord(toRecordBody(entry(index), { id: randomUUID(), now: Date.now() }));
    let index = 0;
    while (warnings.length === 0 && index < 5000) {
      index += 1;
      sink.push(pending(index));
      if (index % 10 === 0) await tick();
    }
    expect(warnings).toEqual([expect.stringContaining('the audit worker stopped')]);
    expect(sink.stats().writer).toBe('thread');
    for (let more = 0; more < 25; more += 1) {
      index += 1;
      sink.push(pending(index));
    }
    sink.close();
    expect(requestIds()).toEqual(Array.from({ length: index }, (_, position) => `req-${position + 1}`));
    expect(createAuditLog({ database, writer: 'thread' }).verify()).toMatchObject({ ok: true, count: index });
  });
});
