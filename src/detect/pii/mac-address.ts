import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextScore } from './context-words.js';

// IEEE 802 MAC-48 in the three common text forms: colon, dash, and Cisco dotted quads of hex.
// Sticky patterns tried only where a separator sits at the expected offset: hex letters are common in
// prose, separators in the right place are not, so this avoids scanning every word.
const MAC_COLON = /(?<![\w:-])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![\w:-])/y;
const MAC_DASH = /(?<![\w:-])[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?![\w:-])/y;
const MAC_DOTTED = /(?<![\w.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])/y;
const FORMS: readonly { separator: string; offset: number; pattern: RegExp }[] = [
  { separator: ':', offset: 2, pattern: MAC_COLON },
  { separator: '-', offset: 2, pattern: MAC_DASH },
  { separator: '.', offset: 4, pattern: MAC_DOTTED },
];

function isHexCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

const POSITIVE = ['mac', 'hardware', 'ethernet', 'wifi', 'wi-fi', 'bssid', 'device', 'adapter', 'nic'];

/** MAC_ADDRESS; all-zero and broadcast addresses score low. */
export const macAddressRecognizer: Recognizer = {
  name: 'mac-address',
  types: ['MAC_ADDRESS'],
  patterns: [MAC_COLON, MAC_DASH, MAC_DOTTED],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    const found: PiiCandidate[] = [];
    for (const { separator, offset, pattern } of FORMS) {
      const separatorCode = separator.charCodeAt(0);
      let at = text.indexOf(separator, offset);
      while (at >= 0) {
        // Cheap checks first: a match that begins `offset` characters before this separator has the
        // next one `offset + 1` after it, which almost no separator in prose or code has (a sentence's
        // full stop often follows a hex letter, so that test comes second), and hex digits on both sides.
        if (
          text.charCodeAt(at + offset + 1) !== separatorCode ||
          !isHexCode(text.charCodeAt(at - 1)) ||
          !isHexCode(text.charCodeAt(at + 1))
        ) {
          at = text.indexOf(separator, at + 1);
          continue;
        }
        pattern.lastIndex = at - offset;
        const match = pattern.exec(text);
        if (!match) {
          at = text.indexOf(separator, at + 1);
          continue;
        }
        const start = match.index;
        const end = start + match[0].length;
        at = text.indexOf(separator, end);
        const hex = match[0].replace(/[:.-]/g, '').toLowerCase();
        const base = /^(?:0{12}|f{12})$/.test(hex) ? 0.3 : 0.6;
        const score = contextScore({ text, start, end, base, positive: POSITIVE, boost: 0.3 });
        found.push({
          type: 'MAC_ADDRESS',
          start,
          end,
          score: clampScore(score),
          severity: 'low',
          ruleId: 'pii.mac-address',
        });
      }
    }
    return found;
  },
};
