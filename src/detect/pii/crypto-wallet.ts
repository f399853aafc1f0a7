import { includesLiteral } from '../find-literal.js';
import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { base58CheckDecode } from './checksums/base58check.js';
import { segwitAddressValid } from './checksums/bech32.js';
import { eip55Valid } from './checksums/eip55.js';
import { contextScore } from './context-words.js';
import { execAll } from './exec-all.js';
import { stickyMatchesAt } from './scan-input.js';

// Bitcoin legacy P2PKH (1…) and P2SH (3…) in Base58Check; SegWit bc1… in Bech32/Bech32m; Ethereum 0x….
// Sticky: a legacy address starts with the digit 1 or 3, so it is tried only where a digit run starts.
const BITCOIN_BASE58 = /(?<![\w])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![\w])/y;
const BITCOIN_BECH32 = /(?<![\w])(?:bc1[02-9ac-hj-np-z]{6,87}|BC1[02-9AC-HJ-NP-Z]{6,87})(?![\w])/g;
const ETHEREUM = /(?<![\w])0x[0-9a-fA-F]{40}(?![\w])/g;

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

/** Letters, digits and underscore: what `(?<![\w])` refuses before an address. */
function isWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

/** Base58 characters that are not digits (no I, O or l). */
function isBase58Letter(code: number): boolean {
  return (
    (code >= 65 && code <= 90 && code !== 73 && code !== 79) || (code >= 97 && code <= 122 && code !== 108)
  );
}

/**
 * Digit runs where BITCOIN_BASE58 can match: it starts with 1 or 3 after a non-word character and
 * holds at least 26 base58 characters, so a run shorter than that must go on with a base58 letter
 * (the character after a run is not a digit). Other starts would fail; dropping them changes nothing.
 * Code is full of short numbers, each of which cost a pattern call.
 */
export function base58Starts(input: ScanInput): number[] {
  const { text } = input;
  const starts: number[] = [];
  for (const run of input.digitRuns) {
    const first = text.charCodeAt(run.start);
    if (first !== 49 && first !== 51) continue;
    if (run.start > 0 && isWordCode(text.charCodeAt(run.start - 1))) continue;
    if (run.end - run.start < 26 && !isBase58Letter(text.charCodeAt(run.end))) continue;
    starts.push(run.start);
  }
  return starts;
}

/** CRYPTO: wallet addresses whose checksum verifies (EIP-55 only applies to mixed-case Ethereum addresses). */
export const cryptoWalletRecognizer: Recognizer = {
  name: 'crypto-wallet',
  types: ['CRYPTO'],
  patterns: [BITCOIN_BASE58, BITCOIN_BECH32, ETHEREUM],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    if (!input.hasDigit) return [];
    const found: PiiCandidate[] = [];
    for (const found58 of stickyMatchesAt({ text, pattern: BITCOIN_BASE58, starts: base58Starts(input) })) {
      const payload = base58CheckDecode(found58.value);
      // version byte 0x00 = P2PKH, 0x05 = P2SH, followed by a 20-byte hash
      if (payload === undefined || payload.length !== 21 || (payload[0] !== 0 && payload[0] !== 5)) continue;
      found.push(
        candidate({ text, start: found58.index, end: found58.index + found58.value.length, base: 0.85 }),
      );
    }
    // Searched by the digit, which prose rarely has, rather than by the common first letter.
    if (includesLiteral(text, 'bc1', '1') || includesLiteral(text, 'BC1', '1')) {
      for (const match of execAll(BITCOIN_BECH32, text)) {
        if (!segwitAddressValid(match[0])) continue;
        found.push(candidate({ text, start: match.index, end: match.index + match[0].length, base: 0.9 }));
      }
    }
    if (text.includes('0x')) {
      for (const match of execAll(ETHEREUM, text)) {
        const hex = match[0].slice(2);
        const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
        if (mixedCase && !eip55Valid(hex)) continue;
        // All-lowercase or all-uppercase addresses carry no checksum.
        found.push(
          candidate({
            text,
            start: match.index,
            end: match.index + match[0].length,
            base: mixedCase ? 0.9 : 0.55,
          }),
        );
      }
    }
    return found;
  },
};
