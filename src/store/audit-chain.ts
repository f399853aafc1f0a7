import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

// `crypto.hash` exists from Node 20.12; read from the namespace so older versions fall back, not fail.
const oneShotHash = (nodeCrypto as Partial<typeof nodeCrypto>).hash;

/** The `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members dropped
 * (the JSON Canonicalization Scheme of RFC 8785 for the values audit records hold: strings, finite
 * numbers, booleans, null, arrays, objects). The same record always hashes the same, whatever order its
 * fields were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'audit records hold finite numbers only');
      }
      return JSON.stringify(value);
    case 'object': {
      // Plain loops and string concatenation: this runs for every audit record written and verified.
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index += 1) {
          if (index > 0) out += ',';
          out += canonicalJson(value[index] ?? null);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
      if (keys.length > 1) keys.sort();
      let out = '{';
      let first = true;
      for (let index = 0; index < keys.length; index += 1) {
        const key = keys[index] as string;
        const member = record[key];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += quotedKey(key);
        out += ':';
        out += canonicalJson(member);
      }
      return `${out}}`;
    }
    default:
      throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `audit records cannot hold a ${typeof value}`);
  }
}

// Records repeat the same few dozen member names: their JSON quoting is kept (short names only, and a
// bounded number of them, since payload keys come from callers).
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 4096;
const MAX_QUOTED_KEY_LENGTH = 64;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (key.length <= MAX_QUOTED_KEY_LENGTH && QUOTED_KEYS.size < MAX_QUOTED_KEYS)
      QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** hash = SHA-256(prevHash ‖ canonical JSON of the record), hex. The record includes its sequence number. */
export function chainHash(prevHash: string, canonicalRecord: string): string {
  // One-shot hashing (Node ≥ 20.12) is about twice as fast as a Hash object for a record; both digest
  // the same bytes (the UTF-8 of prevHash followed by the record).
  if (typeof oneShotHash === 'function') return oneShotHash('sha256', prevHash + canonicalRecord, 'hex');
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalRecord, 'utf8').digest('hex');
}

/** A stored audit row as the verifier sees it. */
export interface ChainRow {
  sequence: number;
  id: string;
  /** Canonical JSON of the record (contains `sequence` and `id` too). */
  record: string;
  prevHash: string;
  hash: string;
}

/** What is wrong with the first bad record. */
export type ChainProblem = 'modified' | 'deleted' | 'reordered';

/** Result of verifying a chain. */
export type ChainVerification =
  | { ok: true; count: number; head: { sequence: number; hash: string } | null }
  | {
      ok: false;
      /** Records verified before the first bad one. */
      count: number;
      problem: ChainProblem;
      /** Sequence number of the first bad record (for deletions: the first missing number). */
      sequence: number;
      /** Id of the record found at that place (for deletions: the record after the gap). */
      id: string;
      message: string;
    };

/** A head recorded earlier outside the database: the chain must still contain it. */
export interface ChainAnchor {
  sequence: number;
  hash: string;
}

/** Parses `SEQ:HASH` (as printed by `aegis audit verify`, with or without `sha256:` and `#`). */
export function parseChainAnchor(text: string): ChainAnchor {
  const match = /^#?([1-9][0-9]{0,15}):(?:sha256:)?([0-9a-f]{64})$/.exec(text.trim());
  if (match === null) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'an anchor looks like 1234:<64 hex digits>');
  }
  return { sequence: Number(match[1]), hash: match[2] as string };
}

/**
 * Incremental verifier: feed rows in sequence order; the first failure sticks. With an `anchor`, a
 * chain that no longer reaches the anchored record (truncated) or holds another hash there (rewritten)
 * fails too: the two tamperings a hash chain alone cannot show.
 */
export function createChainVerifier(options: { anchor?: ChainAnchor } = {}): {
  push(row: ChainRow): ChainVerification | undefined;
  result(): ChainVerification;
} {
  let expectedSequence = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let head: { sequence: number; hash: string } | null = null;
  let failure: ChainVerification | undefined;

  function fail(problem: ChainProblem, row: ChainRow, message: string, sequence = row.sequence) {
    failure = { ok: false, count, problem, sequence, id: row.id, message };
    return failure;
  }

  return {
    push(row) {
      if (failure !== undefined) return failure;
      let parsed: { sequence?: unknown; id?: unknown } | undefined;
      let canonical: string | undefined;
      try {
        parsed = JSON.parse(row.record) as { sequence?: unknown; id?: unknown };
        canonical = canonicalJson(parsed);
      } catch {
        return fail('modified', row, `record ${row.sequence} (${row.id}) is not valid JSON`);
      }
      if (parsed?.sequence !== row.sequence) {
        return fail(
          'reordered',
          row,
          `record at sequence ${row.sequence} (${row.id}) was written as sequence ${String(parsed?.sequence)}`,
        );
      }
      if (parsed.id !== row.id) {
        return fail(
          'modified',
          row,
          `record ${row.sequence} has id ${row.id} but was written as ${String(parsed.id)}`,
        );
      }
      if (row.sequence !== expectedSequence) {
        return fail(
          'deleted',
          row,
          `record ${expectedSequence} is missing (next present record: ${row.sequence}, ${row.id})`,
          expectedSequence,
        );
      }
      const computed = chainHash(prevHash, canonical);
      if (computed !== row.hash) {
        // A self-consistent row whose link does not match means its predecessor was removed or replaced.
        const linkOnly = row.prevHash !== prevHash && chainHash(row.prevHash, canonical) === row.hash;
        return linkOnly
          ? fail(
              'deleted',
              row,
              `record ${row.sequence} (${row.id}) does not follow record ${row.sequence - 1}`,
            )
          : fail('modified', row, `record ${row.sequence} (${row.id}) was modified`);
      }
      const anchor = options.anchor;
      if (anchor !== undefined && row.sequence === anchor.sequence && row.hash !== anchor.hash) {
        return fail(
          'modified',
          row,
          `record ${row.sequence} (${row.id}) no longer has the anchored hash: the chain was rewritten`,
        );
      }
      count += 1;
      expectedSequence += 1;
      prevHash = row.hash;
      head = { sequence: row.sequence, hash: row.hash };
      return undefined;
    },
    result() {
      if (failure !== undefined) return failure;
      const anchor = options.anchor;
      if (anchor !== undefined && anchor.sequence >= expectedSequence) {
        return {
          ok: false,
          count,
          problem: 'deleted',
          sequence: expectedSequence,
          id: '',
          message: `the log ends at record ${expectedSequence - 1} but record ${anchor.sequence} was anchored: records ${expectedSequence}..${anchor.sequence} at least were deleted`,
        };
      }
      return { ok: true, count, head };
    },
  };
}
