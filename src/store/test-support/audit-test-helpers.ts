// Helpers shared by the audit worker tests.
import type { AuditEntry } from '../audit-record.js';
import type { Database } from '../open-database.js';

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
