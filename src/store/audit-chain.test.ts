import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, createChainVerifier, GENESIS_HASH } from './audit-chain.js';

const jsonValue = fc.jsonValue({ maxDepth: 4 });

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([key, member]) => [key, shuffleKeys(member)]));
}

describe('canonical JSON', () => {
  it('is stable under parse round trips and key order', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const canonical = canonicalJson(value);
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
        expect(canonicalJson(shuffleKeys(value))).toBe(canonical);
        expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('sorts keys by UTF-16 code units and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null], é: 'x', Z: undefined, A: { d: 2, c: 3 } })).toBe(
      '{"A":{"c":3,"d":2},"a":[true,null],"b":1,"é":"x"}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrowError(/finite/);
  });
});

describe('chain verifier', () => {
  it('accepts any well-formed chain fed in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string({ maxLength: 5 }), jsonValue, { maxKeys: 4 }), { maxLength: 8 }),
        (bodies) => {
          const verifier = createChainVerifier();
          let prevHash = GENESIS_HASH;
          bodies.forEach((body, index) => {
            const record = canonicalJson({ ...body, sequence: index + 1, id: `r${index + 1}` });
            const hash = chainHash(prevHash, record);
            expect(
              verifier.push({ sequence: index + 1, id: `r${index + 1}`, record, prevHash, hash }),
            ).toBeUndefined();
            prevHash = hash;
          });
          expect(verifier.result()).toMatchObject({ ok: true, count: bodies.length });
        },
      ),
    );
  });
});
