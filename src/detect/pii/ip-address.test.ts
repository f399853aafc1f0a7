import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execAll } from './exec-all.js';
import { ipAddressRecognizer, ipv6Candidates } from './ip-address.js';

describe('IPv6 candidates', () => {
  // Hex groups, colons (single, double, with a space or slash after), dots, digits and word characters.
  const texts = fc
    .array(
      fc.constantFrom(
        'fe80',
        'a',
        '0',
        '12',
        'db8',
        'ffff',
        'abcde',
        ':',
        '::',
        ': ',
        '://',
        '.',
        '1.2.3.4',
        'g',
        ' ',
        'x_',
      ),
      { maxLength: 16 },
    )
    .map((parts) => parts.join(''));
  const sticky = ipAddressRecognizer.patterns[1]!;
  const global = new RegExp(sticky.source, 'g');

  it('find what a scan of the whole text finds', () => {
    expect(sticky.sticky).toBe(true);
    fc.assert(
      fc.property(texts, (text) => {
        const found = ipv6Candidates(text).map((match) => [match.index, match[0]]);
        expect(found).toEqual(execAll(global, text).map((match) => [match.index, match[0]]));
      }),
      { numRuns: 5000 },
    );
    expect(ipv6Candidates('at fe80::1 and 2001:db8::8a2e:370:7334, not key: value').length).toBe(2);
  });
});
