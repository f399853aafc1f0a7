import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { splitAt } from '../test-support/split-at.js';
import { createOutputChecker } from './output-checker.js';
import { createResponseGuard } from './response-guard.js';

const guard = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
const config = parseGatewayConfig({});

function setup() {
  const vault = guard.createVault();
  const email = vault.placeholderFor('EMAIL_ADDRESS', 'ann "the boss" <ann@example.com>');
  const phone = vault.placeholderFor('PHONE_NUMBER', '+14155550132');
  const responseGuard = createResponseGuard({
    checker: createOutputChecker({ guard, failMode: config.failMode }),
    streaming: config.streaming,
    vault,
    tools: new Set(['lookup']),
    maxBufferChars: 1_000_000,
  });
  return { vault, email, phone, responseGuard };
}

describe('createResponseGuard', () => {
  it('checks a clean text once per response, and every text with something in it each time', () => {
    const vault = guard.createVault();
    const email = vault.placeholderFor('EMAIL_ADDRESS', 'ann@example.com');
    const checker = createOutputChecker({ guard, failMode: config.failMode });
    const checked: string[] = [];
    const responseGuard = createResponseGuard({
      checker: {
        check(text) {
          checked.push(text);
          return checker.check(text);
        },
      },
      streaming: config.streaming,
      vault,
      tools: null,
      maxBufferChars: 1_000_000,
    });
    const key = `sk-${'Ab3Cd4Ef5G'.repeat(3)}`;
    const description = `Looks up the fare of a route. ${'Takes the origin and destination codes. '.repeat(8)}`;
    for (let round = 0; round < 3; round++) {
      expect(responseGuard.wholeText('msg_01XFDUDYJgAACzvnptvVoYEL', 'text')).toBe(
        'msg_01XFDUDYJgAACzvnptvVoYEL',
      );
      expect(responseGuard.wholeText(description, 'text')).toBe(description);
      expect(responseGuard.wholeText(`${description} ${key}`, 'text')).toMatch(/\[REDACTED:/);
      expect(responseGuard.wholeText(`to ${email}`, 'text')).toBe('to ann@example.com');
      expect(responseGuard.wholeText(key, 'text')).toMatch(/^\[REDACTED:/);
    }
    expect(checked.filter((text) => text.startsWith('msg_'))).toHaveLength(1);
    // A longer clean text (a tool description a Responses stream repeats in its snapshots) once too.
    expect(checked.filter((text) => text === description)).toHaveLength(1);
    expect(checked.filter((text) => text === `${description} ${key}`)).toHaveLength(3);
    expect(checked.filter((text) => text.startsWith('to '))).toHaveLength(3);
    expect(checked.filter((text) => text === key)).toHaveLength(3);
  });

  it('restores placeholders split anywhere across streamed chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), fc.nat(200), (cuts, padding) => {
        const { email, phone, responseGuard } = setup();
        const text = `${'word '.repeat(padding % 80)}Write to ${email} or call ${phone}, then ${email} again. <b>ok</b> <`;
        const channel = responseGuard.channel('0:content', 'text');
        let out = '';
        for (const piece of splitAt(text, cuts)) out += channel.push(piece) ?? '';
        out += channel.finish() ?? '';
        expect(out).toBe(
          text.replaceAll(email, 'ann "the boss" <ann@example.com>').replaceAll(phone, '+14155550132'),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('restores into tool-call arguments JSON-escaped, so they stay valid JSON', () => {
    const { email, responseGuard } = setup();
    const args = JSON.stringify({ to: email, note: 'hi' });
    const channel = responseGuard.channel('0:tool:0', 'json');
    let out = '';
    for (const piece of splitAt(args, [3, 9, 12, 15, 20])) out += channel.push(piece) ?? '';
    out += channel.finish() ?? '';
    expect(JSON.parse(out)).toEqual({ to: 'ann "the boss" <ann@example.com>', note: 'hi' });
    expect(JSON.parse(responseGuard.wholeText(args, 'json') ?? '')).toEqual({
      to: 'ann "the boss" <ann@example.com>',
      note: 'hi',
    });
  });

  it('refuses tools outside the allowlist and keeps the first violation', () => {
    const { responseGuard } = setup();
    expect(responseGuard.allowTool('lookup')).toBe(true);
    expect(responseGuard.allowTool('delete_everything')).toBe(false);
    expect(responseGuard.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
    expect(responseGuard.channel('0:content', 'text').push('more')).toBeNull();
  });

  it('reports a redaction made in a whole answer (recorded as the output action `redact`)', () => {
    const { responseGuard } = setup();
    expect(responseGuard.wholeText('Hello, nothing to hide.', 'text')).toBe('Hello, nothing to hide.');
    expect(responseGuard.redacted).toBe(false);
    const key = `sk-${'Rt5Yu6Io7P'.repeat(3)}`;
    expect(responseGuard.wholeText(`Use ${key} now.`, 'text')).toContain('[REDACTED:');
    expect(responseGuard.redacted).toBe(true);
  });
});
