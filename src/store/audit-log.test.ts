// The chain, tamper detection, payload modes and batching rules, with the in-thread writer (quick to start).
// The worker writer, which the gateway uses, is covered in audit-worker-writer.test.ts and the crash test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, parseChainAnchor } from './audit-chain.js';
import { createAuditLog } from './audit-log.js';
import type { AuditEntry } from './audit-record.js';
import { type Database, openDatabase } from './open-database.js';

let dataDir: string;
let database: Database;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-audit-'));
  database = openDatabase({ dataDir });
});
afterEach(() => {
  database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function entry(index: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId: `req-${index}`,
    keyId: 'key_1',
    route: '/v1/chat/completions',
    model: 'gpt-4o-mini',
    status: 200,
    latencyMs: 12.5,
    input: {
      action: 'redact',
      findings: [
        {
          detector: 'pii',
          family: 'pii',
          type: 'EMAIL_ADDRESS',
          severity: 'medium',
          score: 0.9,
          start: 3,
          end: 20,
          evidence: 'al…@example.com',
        } as never,
      ],
    },
    ...extra,
  };
}

function writeRecords(count: number): void {
  const log = createAuditLog({ writer: 'thread', database });
  for (let index = 1; index <= count; index += 1) log.append(entry(index));
  log.close();
}

describe('audit log', () => {
  it('writes a verifiable chain with findings summarised and no evidence', () => {
    const log = createAuditLog({ writer: 'thread', database });
    for (let index = 1; index <= 5; index += 1) log.append(entry(index));
    expect(log.stats().queued).toBe(5);
    log.close();
    expect(log.stats()).toMatchObject({ queued: 0, written: 5 });
    const result = log.verify();
    expect(result).toMatchObject({ ok: true, count: 5, head: { sequence: 5 } });
    const [last] = log.tail(1);
    expect(last?.requestId).toBe('req-5');
    expect(last?.input?.findings[0]).toEqual({
      detector: 'pii',
      family: 'pii',
      type: 'EMAIL_ADDRESS',
      severity: 'medium',
      score: 0.9,
      start: 3,
      end: 20,
    });
    expect(JSON.stringify(log.tail(5))).not.toContain('example.com');
  });

  it('names the first modified record', () => {
    writeRecords(10);
    const row = database.prepare('SELECT record FROM audit_records WHERE sequence = 4').get() as {
      record: string;
    };
    const changed = canonicalJson({ ...JSON.parse(row.record), status: 403 });
    database.prepare('UPDATE audit_records SET record = ? WHERE sequence = 4').run(changed);
    const id = (database.prepare('SELECT id FROM audit_records WHERE sequence = 4').get() as { id: string })
      .id;
    expect(createAuditLog({ writer: 'thread', database }).verify()).toMatchObject({
      ok: false,
      problem: 'modified',
      sequence: 4,
      id,
      count: 3,
    });
  });

  it('names the first deleted record', () => {
    writeRecords(10);
    database.prepare('DELETE FROM audit_records WHERE sequence = 6').run();
    const next = (database.prepare('SELECT id FROM audit_records WHERE sequence = 7').get() as { id: string })
      .id;
    const result = createAuditLog({ writer: 'thread', database }).verify();
    expect(result).toMatchObject({ ok: false, problem: 'deleted', sequence: 6, id: next, count: 5 });
  });

  it('detects a deletion hidden by renumbering the rows after it', () => {
    writeRecords(6);
    database.prepare('DELETE FROM audit_records WHERE sequence = 3').run();
    // Rewrite later rows so sequence numbers and stored records are consistent again: only the links remain.
    for (const sequence of [4, 5, 6]) {
      const row = database.prepare('SELECT record FROM audit_records WHERE sequence = ?').get(sequence) as {
        record: string;
      };
      const record = canonicalJson({ ...JSON.parse(row.record), sequence: sequence - 1 });
      database
        .prepare('UPDATE audit_records SET sequence = ?, record = ? WHERE sequence = ?')
        .run(sequence - 1, record, sequence);
    }
    expect(createAuditLog({ writer: 'thread', database }).verify()).toMatchObject({
      ok: false,
      problem: 'modified',
      sequence: 3,
    });
  });

  it('names the first reordered record when two rows swap sequence numbers', () => {
    writeRecords(10);
    const swap = database.transaction(() => {
      database.prepare('UPDATE audit_records SET sequence = -1 WHERE sequence = 7').run();
      database.prepare('UPDATE audit_records SET sequence = 7 WHERE sequence = 8').run();
      database.prepare('UPDATE audit_records SET sequence = 8 WHERE sequence = -1').run();
    });
    swap();
    const moved = (
      database.prepare('SELECT id FROM audit_records WHERE sequence = 7').get() as { id: string }
    ).id;
    expect(createAuditLog({ writer: 'thread', database }).verify()).toMatchObject({
      ok: false,
      problem: 'reordered',
      sequence: 7,
      id: moved,
    });
  });

  it('flushes by size without waiting for the timer', () => {
    const log = createAuditLog({ writer: 'thread', database, maxBatch: 10, flushIntervalMs: 60_000 });
    for (let index = 1; index <= 25; index += 1) log.append(entry(index));
    expect(log.stats()).toMatchObject({ written: 20, queued: 5 });
    log.close();
    expect(log.verify()).toMatchObject({ ok: true, count: 25 });
  });

  it('flushes by time off the request path', async () => {
    const log = createAuditLog({ writer: 'thread', database, flushIntervalMs: 5 });
    log.append(entry(1));
    expect(log.stats().written).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.stats().written).toBe(1);
    log.close();
  });

  it('keeps payloads redacted by default, omits them in none mode', () => {
    const redacted = createAuditLog({ writer: 'thread', database });
    redacted.append(
      entry(1, { payload: { redacted: { prompt: 'mail <EMAIL_ADDRESS_1>' }, full: { prompt: 'x' } } }),
    );
    redacted.close();
    expect(redacted.tail(1)[0]?.payload).toEqual({ redacted: { prompt: 'mail <EMAIL_ADDRESS_1>' } });
    const none = createAuditLog({ writer: 'thread', database, payloads: 'none' });
    none.append(entry(2, { payload: { redacted: { prompt: 'p' } } }));
    none.close();
    expect(none.tail(1)[0]?.payload).toBeUndefined();
    expect(none.verify().ok).toBe(true);
  });

  it('encrypts full payloads with AES-256-GCM and decrypts them on export', async () => {
    const key = randomBytes(32);
    const log = createAuditLog({ writer: 'thread', database, payloads: 'full', encryptionKey: key });
    log.append(entry(1, { payload: { full: { prompt: 'my email is alice@example.com' } } }));
    log.close();
    const stored = JSON.stringify(log.tail(1));
    expect(stored).toContain('A256GCM');
    expect(stored).not.toContain('alice@example.com');
    expect(log.verify().ok).toBe(true);

    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    expect(await log.exportJsonl(output, { decryptionKey: key })).toBe(1);
    const line = JSON.parse(chunks.join('').trim());
    expect(line.payload).toEqual({ decrypted: { prompt: 'my email is alice@example.com' } });

    await expect(
      log.exportJsonl(new PassThrough(), { decryptionKey: randomBytes(32) }),
    ).rejects.toMatchObject({
      code: 'AEGIS_AUDIT_DECRYPT_FAILED',
    });
  });

  it('refuses full payloads without a key', () => {
    const previous = { key: process.env.AEGIS_AUDIT_KEY, file: process.env.AEGIS_AUDIT_KEY_FILE };
    delete process.env.AEGIS_AUDIT_KEY;
    delete process.env.AEGIS_AUDIT_KEY_FILE;
    try {
      expect(() => createAuditLog({ writer: 'thread', database, payloads: 'full' })).toThrowError(
        expect.objectContaining({ code: 'AEGIS_AUDIT_KEY_MISSING' }),
      );
    } finally {
      if (previous.key !== undefined) process.env.AEGIS_AUDIT_KEY = previous.key;
      if (previous.file !== undefined) process.env.AEGIS_AUDIT_KEY_FILE = previous.file;
    }
  });

  it('continues one chain across restarts and exports JSONL in order', async () => {
    writeRecords(3);
    writeRecords(4);
    const log = createAuditLog({ writer: 'thread', database });
    expect(log.verify()).toMatchObject({ ok: true, count: 7 });
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    expect(await log.exportJsonl(output)).toBe(7);
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lines[1].prevHash).toBe(lines[0].hash);
  });
});

describe('audit log shared by two writers', () => {
  it('keeps one linear chain when two connections append to the same database', () => {
    const other = openDatabase({ dataDir });
    const first = createAuditLog({ writer: 'thread', database, maxBatch: 3, flushIntervalMs: 60_000 });
    const second = createAuditLog({
      writer: 'thread',
      database: other,
      maxBatch: 2,
      flushIntervalMs: 60_000,
    });
    for (let index = 1; index <= 20; index += 1) (index % 2 === 0 ? first : second).append(entry(index));
    first.close();
    second.close();
    expect(first.verify()).toMatchObject({ ok: true, count: 20 });
    other.close();
  });
});

describe('audit log anchors', () => {
  it('detects truncation of the tail and a rewritten chain against an anchor kept elsewhere', () => {
    writeRecords(6);
    const log = createAuditLog({ writer: 'thread', database });
    const intact = log.verify();
    if (!intact.ok || intact.head === null) throw new Error('expected an intact chain');
    const anchor = parseChainAnchor(`${intact.head.sequence}:sha256:${intact.head.hash}`);
    expect(log.verify({ anchor })).toMatchObject({ ok: true, count: 6 });

    database.prepare('DELETE FROM audit_records WHERE sequence >= 5').run();
    expect(log.verify().ok).toBe(true); // a chain alone cannot see a cut tail
    expect(log.verify({ anchor })).toMatchObject({ ok: false, problem: 'deleted', sequence: 5 });

    // Rewrite: append fresh records with valid hashes where the old ones were.
    writeRecords(2);
    expect(log.verify().ok).toBe(true);
    expect(log.verify({ anchor })).toMatchObject({ ok: false, problem: 'modified', sequence: 6 });
    expect(() => parseChainAnchor('6:nothex')).toThrowError(/anchor/);
  });
});
