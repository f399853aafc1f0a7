// The worker writer when things go wrong: a locked database, a late answer, a failed close, a worker that
// cannot start or stops.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type PendingAuditRecord, toPendingRecord } from './audit-batch-writer.js';
import { createAuditLog } from './audit-log.js';
import { createAuditReader } from './audit-reader.js';
import { toRecordBody } from './audit-record.js';
import { createWorkerAuditWriter } from './audit-worker-writer.js';
import { openDatabase } from './open-database.js';
import { auditEntry, tick, until, useWorkerAuditFixture } from './test-support/audit-test-helpers.js';

const fixture = useWorkerAuditFixture();
const { workerLog, requestIds } = fixture;
const entry = auditEntry;

describe('audit worker failures', () => {
  it('counts and reports failures while the database is locked, and retries until it is not', async () => {
    fixture.database.pragma('busy_timeout = 20'); // the worker's connection uses the same timeout
    const errors: unknown[] = [];
    const log = workerLog({
      maxBatch: 10,
      maxQueue: 20,
      flushIntervalMs: 10,
      onError: (error) => errors.push(error),
    });
    const locker = openDatabase({ dataDir: fixture.dataDir });
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
    fixture.database.pragma('busy_timeout = 3000');
    const log = workerLog({ workerReplyTimeoutMs: 50, flushIntervalMs: 60_000 });
    const locker = openDatabase({ dataDir: fixture.dataDir });
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
    fixture.database.pragma('busy_timeout = 20');
    const log = workerLog({ flushIntervalMs: 60_000 });
    const locker = openDatabase({ dataDir: fixture.dataDir });
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
    createAuditReader({ database: fixture.database }); // creates the table
    const warnings: string[] = [];
    const sink = createWorkerAuditWriter({
      database: fixture.database,
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
    expect(createAuditLog({ database: fixture.database, writer: 'thread' }).verify()).toMatchObject({
      ok: true,
      count: index,
    });
  });
});
