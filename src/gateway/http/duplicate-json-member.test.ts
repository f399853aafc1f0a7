import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countJsonMembers, findDuplicateJsonMember } from './duplicate-json-member.js';

const find = (text: string) => findDuplicateJsonMember(Buffer.from(text), JSON.parse(text));

describe('countJsonMembers', () => {
  it('counts the name-value pairs of a JSON text, colons and quotes inside strings ignored', () => {
    const text = fc.string({ unit: fc.constantFrom(':', '"', '\\', '{', '[', 'a', ' ', 'é') });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const members = (value: unknown): number => {
      if (value === null || typeof value !== 'object') return 0;
      const children = Object.values(value);
      const own = Array.isArray(value) ? 0 : children.length;
      return own + children.reduce((sum: number, child) => sum + members(child), 0);
    };
    fc.assert(
      fc.property(json, fc.boolean(), (value, pretty) => {
        const written = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(countJsonMembers(Buffer.from(written))).toBe(members(value));
      }),
      { numRuns: 400 },
    );
  });
});

describe('findDuplicateJsonMember', () => {
  it('finds nothing in objects whose names differ, however they are written', () => {
    expect(find('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}')).toBeUndefined();
    expect(find('{"a\\"":1,"a":2,"a\\\\":3,"content":"x:y\\":z","b":"\\\\"}')).toBeUndefined();
    expect(find('{"role":"user","Role":"user"}')).toBeUndefined();
    expect(find('{"__proto__":{"a":1},"a":{"__proto__":null}}')).toBeUndefined();
    expect(find('[]')).toBeUndefined();
  });

  it('names the path of a member written twice, at any depth', () => {
    expect(find('{"model":"a","model":"b"}')).toEqual({ path: '', name: 'model' });
    expect(find('{"messages":[{"role":"user"},{"role":"user","content":"x","content":"y"}]}')).toEqual({
      path: 'messages[1]',
      name: 'content',
    });
    const deep = `{"a":${'{"b":'.repeat(40)}{"x":1,"y":2,"x":3}${'}'.repeat(40)}}`;
    expect(find(deep)?.name).toBe('x');
    expect(find(deep)?.path).toBe(`a${'.b'.repeat(40)}`);
  });

  it('compares names after their escapes are read, as JSON.parse does', () => {
    expect(find('{"content":"a","\\u0063ontent":"b"}')).toEqual({ path: '', name: 'content' });
    expect(find('{"x":{"a\\/b":1,"a/b":2}}')).toEqual({ path: 'x', name: '*' });
  });

  it('treats __proto__ like any member (an own property after JSON.parse)', () => {
    expect(find('{"m":{"__proto__":{"a":1},"__proto__":"x"}}')).toEqual({ path: 'm', name: '__proto__' });
  });

  it('never names a member whose name could carry text', () => {
    const found = find('{"sk-proj-0123456789abcdef":{"note for you":1,"note for you":2}}');
    expect(found).toEqual({ path: '*', name: '*' });
  });

  it('finds the one duplicate among 200,000 members', () => {
    const names = Array.from({ length: 200_000 }, (_, index) => `"k${index}":${index}`);
    names.push('"k123456":0');
    expect(find(`{"o":{${names.join(',')}}}`)).toEqual({ path: 'o', name: 'k123456' });
  });
});
