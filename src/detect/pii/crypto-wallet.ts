import { isAsciiWordCode } from '../ascii-codes.js';
import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { base58CheckDecode } from './checksums/base58check.js';
import { segwitAddressValid } from './checksums/bech32.js';
import { eip55Valid } from './checksums/eip55.js';
import { contextScore } from './context-words.js';
import { stickyMatchesAt } from './scan-input.js';

// Bitcoin legacy P2PKH (1…) and P2SH (3…) in Base58Check; SegWit bc1… in Bech32/Bech32m; Ethereum 0x….
// All sticky, tried only at the digit runs `walletStarts` picks: every form holds a digit at a known place.
const BITCOIN_BASE58 = /(?<![\w])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![\w])/y;
const BITCOIN_BECH32 = /(?<![\w])(?:bc1[02-9ac-hj-np-z]{6,87}|BC1[02-9AC-HJ-NP-Z]{6,87})(?![\w])/y;
const ETHEREUM = /(?<![\w])0x[0-9a-fA-F]{40}(?![\w])/y;

const POSITIVE = ['wallet', 'bitcoin', 'btc', 'eth', 'ethereum', 'crypto', 'send', 'address', 'usdt', 'pay'];

function candidate(options: { text: string; start: number; end: number; base: number }): PiiCandidate {
  // Fields spelled out: an object spread costs far more than the context lookup itself.
  const { text, start, end, base } = options;
  const score = contextScore({ text, start, end, base, positive: POSITIVE, boost: 0.1 });
  return {
    type: 'CRYPTO',
    start: options.start,
    end: options.end,
    score: clampScore(score),
    severity: 'medium',
    ruleId: 'pii.crypto-wallet',
  };
}

/** Base58 characters that are not digits (no I, O or l). */
function isBase58Letter(code: number): boolean {
  return (
    (code >= 65 && code <= 90 && code !== 73 && code !== 79) || (code >= 97 && code <= 122 && code !== 108)
  );
}

/**
 * Where each wallet pattern can match, from one pass over the digit runs; other starts would fail, so
 * dropping them changes nothing (code is full of short numbers, each of which would cost a pattern call).
 * - BITCOIN_BASE58 starts with 1 or 3 after a non-word character and holds at least 26 base58
 *   characters, so a run shorter than that must go on with a base58 letter (the character after a run
 *   is not a digit).
 * - BITCOIN_BECH32 starts with `bc1` or `BC1`: its 1 opens a digit run two characters in.
 * - ETHEREUM starts with `0x` after a non-word character: the 0 is a whole digit run (a digit before it
 *   is a word character) followed by x.
 * Matches of one pattern cannot overlap (a start inside a match follows a word character), so the
 * sticky matches at these starts are exactly the matches a scan of the whole text finds.
 */
export function walletStarts(input: ScanInput): { base58: number[]; bech32: number[]; ethereum: number[] } {
  const { text } = input;
  const base58: number[] = [];
  const bech32: number[] = [];
  const ethereum: number[] = [];
  for (const run of input.digitRuns) {
    const start = run.start;
    const first = text.charCodeAt(start);
    const before = text.charCodeAt(start - 1); // NaN before the text
    if (first === 49 || first === 51) {
      if (!isAsciiWordCode(before) && (run.end - start >= 26 || isBase58Letter(text.charCodeAt(run.end)))) {
        base58.push(start);
      }
      const prefix = text.charCodeAt(start - 2);
      if (first === 49 && ((prefix === 98 && before === 99) || (prefix === 66 && before === 67))) {
        bech32.push(start - 2); // bc1 or BC1
      }
    } else if (first === 48 && run.end - start === 1 && text.charCodeAt(run.end) === 120) {
      ethereum.push(start); // 0x
    }
  }
  return { base58, bech32, ethereum };
}

/** CRYPTO: wallet addresses whose checksum verifies (EIP-55 only applies to mixed-case Ethereum addresses). */
export const cryptoWalletRecognizer: Recognizer = {
  name: 'crypto-wallet',
  types: ['CRYPTO'],
  needs: 'digit',
  patterns: [BITCOIN_BASE58, BITCOIN_BECH32, ETHEREUM],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    if (!input.hasDigit) return [];
    const found: PiiCandidate[] = [];
    const starts = walletStarts(input);
    for (const found58 of stickyMatchesAt({ text, pattern: BITCOIN_BASE58, starts: starts.base58 })) {
      const payload = base58CheckDecode(found58.value);
      // version byte 0x00 = P2PKH, 0x05 = P2SH, followed by a 20-byte hash
      if (payload === undefined || payload.length !== 21 || (payload[0] !== 0 && payload[0] !== 5)) continue;
      found.push(
        candidate({ text, start: found58.index, end: found58.index + found58.value.length, base: 0.85 }),
      );
    }
    for (const match of stickyMatchesAt({ text, pattern: BITCOIN_BECH32, starts: starts.bech32 })) {
      if (!segwitAddressValid(match.value)) continue;
      found.push(candidate({ text, start: match.index, end: match.index + match.value.length, base: 0.9 }));
    }
    for (const match of stickyMatchesAt({ text, pattern: ETHEREUM, starts: starts.ethereum })) {
      const hex = match.value.slice(2);
      const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
      if (mixedCase && !eip55Valid(hex)) continue;
      // All-lowercase or all-uppercase addresses carry no checksum.
      found.push(
        candidate({
          text,
          start: match.index,
          end: match.index + match.value.length,
          base: mixedCase ? 0.9 : 0.55,
        }),
      );
    }
    return found;
  },
};
