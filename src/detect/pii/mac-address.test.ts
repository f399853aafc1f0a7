import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execAll } from './exec-all.js';
import { macAddressRecognizer } from './mac-address.js';
import { createScanInput } from './scan-input.js';

// Hex pairs and quads joined by every separator, with near misses around them.
const texts = fc
  .array(
    fc.constantFrom(
      '00',
      '1a',
      'FF',
      'beef',
      '0a1b',
      'g',
      ':',
      '-',
      '.',
      ' ',
      '_',
      'x',
      '00:1A:2B:3C:4D:5E',
      '0a1b.2c3d.4e5f',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('mac address separator checks', () => {
  it('find the spans a scan of the whole text with each pattern finds', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const expected = macAddressRecognizer.patterns.flatMap((pattern) =>
          execAll(new RegExp(pattern.source, 'g'), text).map((match) => [
            match.index,
            match.index + match[0].length,
          ]),
        );
        const found = macAddressRecognizer.find(createScanInput(text, 'US'));
        expect(found.map((candidate) => [candidate.start, candidate.end])).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
