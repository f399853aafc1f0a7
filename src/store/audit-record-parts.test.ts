import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './audit-chain.js';
import { type AuditEntry, toRecordBody } from './audit-record.js';
import { type AuditRecordBody, canonicalBodyParts, joinRecordParts } from './audit-record-parts.js';

const payloadValue = fc.option(fc.jsonValue(), { nil: undefined });
const sequence = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

function joined(body: AuditRecordBody, payload: unknown, at: number): string {
  return joinRecordParts({
    parts: canonicalBodyParts(body),
    payload: payload === undefined ? undefined : canonicalJson(payload),
    sequence: at,
  });
}

describe('canonical record parts', () => {
  it('join to the canonical JSON of the whole record, for any member names around payload and sequence', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '',
        'a',
        'p',
        'pay',
        'payloa',
        'payloadx',
        'payload ',
        'q',
        's',
        'sequenc',
        'sequence0',
        'z',
        'é',
      ),
    );
    const body = fc.dictionary(key, fc.jsonValue(), { maxKeys: 8 }).map((members) => {
      delete members.payload;
      delete members.sequence;
      return members as unknown as AuditRecordBody;
    });
    fc.assert(
      fc.property(body, payloadValue, sequence, (members, payload, at) => {
        expect(joined(members, payload, at)).toBe(canonicalJson({ ...members, payload, sequence: at }));
      }),
      { numRuns: 500 },
    );
  });

  it('join to the canonical JSON of records built from gateway entries', () => {
    const text = fc.string({ maxLength: 30 });
    const finding = fc.record({
      type: text,
      severity: text,
      score: fc.double({ noNaN: true }),
      detector: fc.option(text, { nil: undefined }),
      start: fc.option(fc.integer(), { nil: undefined }),
    });
    const entry: fc.Arbitrary<AuditEntry> = fc.record({
      requestId: text,
      keyId: fc.option(text, { nil: null }),
      route: text,
      status: fc.integer(),
      latencyMs: fc.double({ noNaN: true }),
      streamed: fc.boolean(),
      input: fc.option(fc.record({ action: text, findings: fc.array(finding, { maxLength: 3 }) }), {
        nil: null,
      }),
      tokens: fc.option(fc.record({ input: fc.nat(), output: fc.nat() }), { nil: null }),
      bypasses: fc.array(fc.record({ reason: text, family: fc.option(text, { nil: undefined }) }), {
        maxLength: 2,
      }),
    });
    fc.assert(
      fc.property(entry, payloadValue, sequence, fc.uuid(), (value, payload, at, id) => {
        const body = toRecordBody(value, { id, now: 1_700_000_000_000 });
        const record = {
          ...body,
          sequence: at,
          payload: payload === undefined ? undefined : { redacted: payload },
        };
        expect(joined(body, record.payload, at)).toBe(canonicalJson(record));
      }),
      { numRuns: 300 },
    );
  });
});
