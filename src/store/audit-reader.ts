import type { Writable } from 'node:stream';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { type ChainAnchor, type ChainVerification, createChainVerifier } from './audit-chain.js';
import { openPayload, type SealedPayload } from './audit-cipher.js';
import type { AuditRecord, StoredAuditRecord } from './audit-record.js';
import { applyMigrations, type Database, type Migration } from './open-database.js';

/** Schema of the audit log (shared by the writer and the reader). */
export const AUDIT_MIGRATIONS: readonly Migration[] = [
  {
    name: 'audit-001-create',
    sql: `CREATE TABLE audit_records (
      sequence INTEGER PRIMARY KEY,
      id TEXT NOT NULL,
      time TEXT NOT NULL,
      key_id TEXT,
      record TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );`,
  },
];

/** Read side of the audit log: verification, tail and export. */
export interface AuditReader {
  /** Checks the whole chain; names the first modified, deleted or reordered record. */
  verify(options?: { anchor?: ChainAnchor }): ChainVerification;
  /** The last `count` records, oldest first. */
  tail(count: number): StoredAuditRecord[];
  /** Writes every record as one JSON line; decrypts payloads when `decryptionKey` is given. Resolves to the count. */
  exportJsonl(
    output: Writable,
    options?: { decryptionKey?: Buffer; afterSequence?: number },
  ): Promise<number>;
}

interface Row {
  sequence: number;
  id: string;
  record: string;
  prev_hash: string;
  hash: string;
}

// Rows are read in pages, never through an iterator held open across awaits, so a batch write on the
// same connection can run between pages and memory stays bounded for logs of any size.
const PAGE = 500;

function toStored(row: Row): StoredAuditRecord {
  return { ...(JSON.parse(row.record) as AuditRecord), prevHash: row.prev_hash, hash: row.hash };
}

/** Creates the reader over the audit table of `database`. */
export function createAuditReader(options: { database: Database }): AuditReader {
  const { database } = options;
  applyMigrations(database, AUDIT_MIGRATIONS);
  const selectPage = database.prepare(
    'SELECT sequence, id, record, prev_hash, hash FROM audit_records WHERE sequence > ? ORDER BY sequence LIMIT ?',
  );
  const selectTail = database.prepare(
    'SELECT sequence, id, record, prev_hash, hash FROM audit_records ORDER BY sequence DESC LIMIT ?',
  );

  function* pages(afterSequence: number): Generator<Row[]> {
    let after = afterSequence;
    for (;;) {
      const rows = selectPage.all(after, PAGE) as Row[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.sequence ?? after;
    }
  }

  return {
    verify(verifyOptions = {}) {
      const verifier = createChainVerifier(verifyOptions);
      for (const rows of pages(Number.MIN_SAFE_INTEGER)) {
        for (const row of rows) {
          const chainRow = {
            sequence: row.sequence,
            id: row.id,
            record: row.record,
            prevHash: row.prev_hash,
            hash: row.hash,
          };
          if (verifier.push(chainRow) !== undefined) return verifier.result();
        }
      }
      return verifier.result();
    },

    tail(count) {
      const limit = Math.max(0, Math.min(Math.trunc(count), 100_000));
      return (selectTail.all(limit) as Row[]).reverse().map(toStored);
    },

    async exportJsonl(output, exportOptions = {}) {
      let count = 0;
      let outputError: unknown;
      const onError = (error: unknown) => {
        outputError ??= error;
      };
      output.on('error', onError);
      try {
        for (const rows of pages(exportOptions.afterSequence ?? Number.MIN_SAFE_INTEGER)) {
          let chunk = '';
          for (const row of rows) {
            const stored = toStored(row);
            const key = exportOptions.decryptionKey;
            if (key !== undefined && stored.payload !== undefined && 'encrypted' in stored.payload) {
              const sealedPayload = stored.payload.encrypted as SealedPayload;
              const decrypted = openPayload({ key, sealed: sealedPayload, recordId: stored.id });
              (stored as { payload: unknown }).payload = { decrypted };
            }
            chunk += `${JSON.stringify(stored)}\n`;
            count += 1;
          }
          if (outputError !== undefined || output.destroyed) break;
          // Respect backpressure so an export of any size keeps memory bounded to one page.
          if (!output.write(chunk)) {
            await new Promise<void>((resolve) => {
              const done = () => {
                output.off('drain', done);
                output.off('close', done);
                output.off('error', done);
                resolve();
              };
              output.on('drain', done);
              output.on('close', done);
              output.on('error', done);
            });
          }
        }
      } finally {
        output.off('error', onError);
      }
      if (outputError !== undefined || output.destroyed) {
        const reason = (outputError as NodeJS.ErrnoException | undefined)?.code ?? 'output closed';
        throw new AegisError(ERROR_CODES.IO_ERROR, `cannot write the export (${reason})`, {
          cause: outputError,
          details: { exported: count },
        });
      }
      return count;
    },
  };
}
