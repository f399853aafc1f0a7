import { canonicalJson } from './audit-chain.js';
import type { AuditRecord } from './audit-record.js';

/** A record body: everything except the members the writer adds (sequence and payload). */
export type AuditRecordBody = Omit<AuditRecord, 'sequence' | 'payload'>;

/**
 * The canonical JSON members of a body, cut where `payload` and `sequence` go in key order: members
 * before "payload", between "payload" and "sequence", and after "sequence" (each comma-separated, no
 * braces). The writer only has to join them with the two members it knows at commit time.
 */
export type CanonicalBodyParts = [before: string, middle: string, after: string];

// The record is put into canonical JSON where it is built (the caller's thread) and only joined where it
// is committed: three strings cross to the worker instead of an object graph that would be serialised,
// rebuilt, and walked again there.

/** Cuts the canonical JSON of `body` (see `canonicalJson`) around the `payload` and `sequence` members. */
export function canonicalBodyParts(body: AuditRecordBody): CanonicalBodyParts {
  const members = body as unknown as Record<string, unknown>;
  const keys = Object.keys(members);
  // Default sort compares UTF-16 code units, as canonicalJson does (RFC 8785 §3.2.3); so does `<`.
  keys.sort();
  const parts: CanonicalBodyParts = ['', '', ''];
  for (const key of keys) {
    const value = members[key];
    if (value === undefined || key === 'payload' || key === 'sequence') continue;
    const part = key < 'payload' ? 0 : key < 'sequence' ? 1 : 2;
    const member = `${JSON.stringify(key)}:${canonicalJson(value)}`;
    parts[part] = parts[part] === '' ? member : `${parts[part]},${member}`;
  }
  return parts;
}

/**
 * Canonical JSON of the whole record: the same text as `canonicalJson({ ...body, payload, sequence })`.
 * `payload` is the canonical JSON of the payload member, or undefined when the record has none.
 */
export function joinRecordParts(options: {
  parts: CanonicalBodyParts;
  payload: string | undefined;
  sequence: number;
}): string {
  const [before, middle, after] = options.parts;
  let out = '{';
  const add = (member: string) => {
    if (member === '') return;
    out += out === '{' ? member : `,${member}`;
  };
  add(before);
  if (options.payload !== undefined) add(`"payload":${options.payload}`);
  add(middle);
  add(`"sequence":${canonicalJson(options.sequence)}`);
  add(after);
  return `${out}}`;
}
