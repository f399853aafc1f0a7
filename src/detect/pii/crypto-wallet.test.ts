import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cryptoWalletRecognizer, walletStarts } from './crypto-wallet.js';
import { execAll } from './exec-all.js';
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
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ',
      'bc1',
      'b',
      'c',
      'BC',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0x',
      '00x',
      'x',
      'f',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('walletStarts', () => {
  it('drops only starts where the legacy address pattern cannot match', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const input = createScanInput(text, 'US');
        // The slower path: every digit run that opens with 1 or 3.
        const everyStart = input.digitRuns
          .map((run) => run.start)
          .filter((start) => text[start] === '1' || text[start] === '3');
        expect(
          stickyMatchesAt({ text, pattern: BITCOIN_BASE58, starts: walletStarts(input).base58 }),
        ).toEqual(stickyMatchesAt({ text, pattern: BITCOIN_BASE58, starts: everyStart }));
      }),
      { numRuns: 3000 },
    );
  });

  it('give the SegWit and Ethereum matches a scan of the whole text finds', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const starts = walletStarts(createScanInput(text, 'US'));
        for (const [pattern, at] of [
          [cryptoWalletRecognizer.patterns[1]!, starts.bech32],
          [cryptoWalletRecognizer.patterns[2]!, starts.ethereum],
        ] as const) {
          const global = new RegExp(pattern.source, 'g');
          const expected = execAll(global, text).map((match) => ({ value: match[0], index: match.index }));
          expect(stickyMatchesAt({ text, pattern, starts: at })).toEqual(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
