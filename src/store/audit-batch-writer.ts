import { canonicalJson, chainHash, GENESIS_HASH } from './audit-chain.js';
import { sealPayloadJson } from './audit-cipher.js';
import type { AuditRecord } from './audit-record.js';
import {
  type AuditRecordBody,
  type CanonicalBodyParts,
  canonicalBodyParts,
  joinRecordParts,
} from './audit-record-parts.js';
import type { Database } from './open-database.js';

/** A record waiting to be written: the columns, its body in canonical JSON parts, its payload's JSON text. */
export interface PendingAuditRecord {
  id: string;
  time: string;
  keyId: string | null;
  parts: CanonicalBodyParts;
  payloadJson?: string;
}

/** The pending form of a record body and its payload (`JSON.stringify` text, if any). */
export function toPendingRecord(body: AuditRecordBody, payloadJson?: string): PendingAuditRecord {
  const pending: PendingAuditRecord = {
    id: body.id,
    time: body.time,
    keyId: body.keyId,
    parts: canonicalBodyParts(body),
  };
  if (payloadJson !== undefined) pending.payloadJson = payloadJson;
  return pending;
}

/** Options of `createAuditBatchWriter`. */
export interface AuditBatchWriterOptions {
  database: Database;
  /** AES-256 key: payloads are sealed (`full` mode); without it they are stored as given (`redacted`). */
  encryptionKey?: Buffer;
  /** Payloads larger than this (bytes of JSON) are replaced by a note. */
  maxPayloadBytes: number;
}

/** Writes batches of audit records, each batch in one transaction, linked into the hash chain. */
export interface AuditBatchWriter {
  /** Writes the batch in one `BEGIN IMMEDIATE` transaction; returns the sequence number of its last record. */
  write(batch: readonly PendingAuditRecord[]): number;
}

/**
 * Creates the batch writer used by both the in-thread writer and the audit worker, so the bytes on disk
 * are the same whichever thread writes them.
 */
export function createAuditBatchWriter(options: AuditBatchWriterOptions): AuditBatchWriter {
  const { database, encryptionKey, maxPayloadBytes } = options;
  const selectHead = database.prepare(
    'SELECT sequence, hash FROM audit_records ORDER BY sequence DESC LIMIT 1',
  );
  const insert = database.prepare(
    'INSERT INTO audit_records (sequence, id, time, key_id, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  function sealed(json: string | undefined, id: string): AuditRecord['payload'] {
    if (json === undefined) return undefined;
    if (Buffer.byteLength(json, 'utf8') > maxPayloadBytes) {
      return { omitted: `payload larger than ${maxPayloadBytes} bytes` };
    }
    if (encryptionKey !== undefined) {
      return { encrypted: sealPayloadJson({ key: encryptionKey, json, recordId: id }) };
    }
    return { redacted: JSON.parse(json) as unknown };
  }

  // Sequence numbers and links are assigned inside the write transaction, so several connections
  // (threads or processes) can share one log and the chain stays linear: BEGIN IMMEDIATE serialises them.
  const writeBatch = database.transaction((batch: readonly PendingAuditRecord[]) => {
    const head = selectHead.get() as { sequence: number; hash: string } | undefined;
    let sequence = head?.sequence ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    for (const pending of batch) {
      sequence += 1;
      const payload = sealed(pending.payloadJson, pending.id);
      const canonical = joinRecordParts({
        parts: pending.parts,
        payload: payload === undefined ? undefined : canonicalJson(payload),
        sequence,
      });
      const hash = chainHash(prevHash, canonical);
      insert.run(sequence, pending.id, pending.time, pending.keyId, canonical, prevHash, hash);
      prevHash = hash;
    }
    return sequence;
  });

  return {
    write: (batch) => writeBatch.immediate(batch) as number,
  };
}
