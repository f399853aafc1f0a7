import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base58Starts, cryptoWalletRecognizer } from './crypto-wallet.js';
import { createScanInput, stickyMatchesAt } from './scan-input.js';

// The legacy address pattern, sticky, as the recognizer lists it first.
const BITCOIN_BASE58 = cryptoWalletRecognizer.patterns[0]!;

// Pieces of addresses, short numbers and the characters around them (word characters, I O l 0 that
// base58 excludes, punctuation), so starts of every kind meet the filter.
const texts = fc
  .array(
    fc.constantFrom(
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
      '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
      '1',
      '3',
      '13',
      '10',
      '1'.repeat(30),
      `3${'2'.repeat(27)}`,
      'a',
      'Q',
      'I',
      'O',
      'l',
      '_',
      ' ',
      ';',
      '-',
      'é',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('base58Starts', () => {
  it('drops only starts where the legacy address pattern cannot match', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        // The slower path: every digit run that opens with 1 or 3.
        const everyStart = input.digitRuns
          .map((run) => run.start)
          .filter((start) => text[start] === '1' || text[start] === '3');
        expect(stickyMatchesAt({ text, pattern: BITCOIN_BASE58, starts: base58Starts(input) })).toEqual(
          stickyMatchesAt({ text, pattern: BITCOIN_BASE58, starts: everyStart }),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
