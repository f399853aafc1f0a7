import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, parseJsonBody } from './parse-json-body.js';

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce((max: number, child) => Math.max(max, depthOf(child)), 0);
}

describe('jsonDepthExceeds', () => {
  it('agrees with the real nesting depth, brackets inside strings ignored', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ' ') });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 6 }), (value, limit) => {
        expect(jsonDepthExceeds(Buffer.from(JSON.stringify(value)), limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 400 },
    );
  });

  it('parses objects and rejects other top-level values', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,{"b":2}]}'), 8)).toEqual({ a: [1, { b: 2 }] });
    expect(() => parseJsonBody(Buffer.from('"text"'), 8)).toThrow(
      expect.objectContaining({ code: 'AEGIS_BAD_REQUEST' }),
    );
    expect(() => parseJsonBody(Buffer.from('{"a":[[[1]]]}'), 3)).toThrow(
      expect.objectContaining({ code: 'AEGIS_JSON_TOO_DEEP' }),
    );
  });
});
