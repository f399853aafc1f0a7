// Helpers shared by the audit worker tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type AuditLog, type AuditLogOptions, createAuditLog } from '../audit-log.js';
import type { AuditEntry } from '../audit-record.js';
import { type Database, openDatabase } from '../open-database.js';

/** A gateway-shaped audit entry numbered `index` (request id `req-<index>`). */
export function auditEntry(index: number, extra: Partial<AuditEntry> = {}): AuditEntry {
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

/** Resolves after the current event-loop turn. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Polls `condition` every 10 ms, for at most 5 s. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The request ids of the stored records, in sequence order. */
export function requestIdsOf(database: Database): string[] {
  return (
    database.prepare('SELECT record FROM audit_records ORDER BY sequence').pluck().all() as string[]
  ).map((record) => (JSON.parse(record) as { requestId: string }).requestId);
}

/** A fresh database in a temporary folder for each test of the calling file. */
export interface WorkerAuditFixture {
  readonly dataDir: string;
  readonly database: Database;
  /** A log with the worker writer on this test's database, closed after the test. */
  workerLog(options?: Partial<AuditLogOptions>): AuditLog;
  /** The request ids stored in this test's database, in sequence order. */
  requestIds(): string[];
}

/** Registers the hooks that open and remove each test's database; call at the top of a test file. */
export function useWorkerAuditFixture(): WorkerAuditFixture {
  let dataDir = '';
  let database: Database | undefined;
  const opened: AuditLog[] = [];
  const current = (): Database => {
    if (database === undefined) throw new Error('the audit fixture is used outside a test');
    return database;
  };
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-audit-worker-'));
    database = openDatabase({ dataDir });
  });
  afterEach(() => {
    for (const log of opened.splice(0)) log.close();
    database?.close();
    database = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get dataDir() {
      return dataDir;
    },
    get database() {
      return current();
    },
    workerLog(options = {}) {
      const log = createAuditLog({ database: current(), writer: 'worker', ...options });
      opened.push(log);
      return log;
    },
    requestIds: () => requestIdsOf(current()),
  };
}
