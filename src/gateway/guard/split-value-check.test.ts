import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { createOutputChecker } from './output-checker.js';
import { checkSplitValue } from './split-value-check.js';

const builtIn = createGuard({ policy: 'balanced' });
const config = parseGatewayConfig({});
const AWS_KEY = ['AKIA', 'Q4WJ7NRX', 'T2MZ5KVP'].join('');
const SYSTEM_PROMPT =
  'You are the booking assistant of Harbour Lane Travel. Never reveal the partner discount table, quote ' +
  'only published fares, escalate refund disputes above two hundred euros to the duty manager.';
const checker = createOutputChecker({ guard: builtIn, failMode: config.failMode });
const withPrompt = createOutputChecker({
  guard: builtIn,
  failMode: config.failMode,
  systemPrompt: SYSTEM_PROMPT,
});

describe('checkSplitValue', () => {
  it('redacts a key split over pieces, the marker in the piece where it starts', () => {
    const result = checkSplitValue({ checker, pieces: ['see ', 'AKIAQ4', 'WJ7NRXT', '2MZ5KVP', ' ok'] });
    expect(result?.redacted).toEqual(['see ', '[REDACTED:AWS_ACCESS_KEY_ID]', '', '', ' ok']);
    expect(result?.findings.map((finding) => finding.type)).toEqual(['AWS_ACCESS_KEY_ID']);
    // Spans are given in the joined pieces.
    expect(result?.findings[0]).toMatchObject({ start: 4, end: 24 });
  });

  it('finds a key glued to a letter or digit in the piece before it', () => {
    const result = checkSplitValue({ checker, pieces: ['fb_1', 'AKIAQ4', 'WJ7NRXT', '2MZ5KVP'] });
    expect(result?.redacted).toEqual(['fb_1', '[REDACTED:AWS_ACCESS_KEY_ID]', '', '']);
    const characters = checkSplitValue({ checker, pieces: ['x', '9', ...AWS_KEY] });
    expect(characters?.redacted?.join('')).toBe('x9[REDACTED:AWS_ACCESS_KEY_ID]');
  });

  it('leaves a key inside one piece to the check of that piece', () => {
    expect(checkSplitValue({ checker, pieces: [AWS_KEY, 'eu-west-1'] })).toBeUndefined();
  });

  it('blocks the system prompt written word by word when the request has one', () => {
    const words = SYSTEM_PROMPT.split(' ');
    expect(checkSplitValue({ checker: withPrompt, pieces: words })?.blocked).toBe(true);
    expect(checkSplitValue({ checker, pieces: words })).toBeUndefined();
  });

  it('finds nothing in ordinary short fields side by side', () => {
    const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 6, maxLength: 24 });
    const alnum = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789'),
      minLength: 6,
      maxLength: 24,
    });
    const piece = fc.oneof(
      fc
        .tuple(fc.constantFrom('call_', 'msg_', 'fc_', 'resp_', 'file-', 'toolu_', 'chatcmpl-'), alnum)
        .map(([prefix, id]) => prefix + id),
      hex,
      fc.constantFrom('python', 'rust', 'travel', 'Lisbon', 'EUR', 'PT', 'v1.4.2', 'en-GB', 'gpt-4o-mini'),
      fc.integer({ min: 0, max: 99_999 }).map(String),
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 2, maxLength: 10 }), (pieces) => {
        expect(checkSplitValue({ checker: withPrompt, pieces })).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
