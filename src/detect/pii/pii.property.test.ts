import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spanIsValid } from '../../spec/finding.js';
import { identityText } from '../../spec/text.js';
import { createPiiDetector } from '../pii.js';
import { PII_RECOGNIZERS } from './recognizers.js';
import { createScanInput } from './scan-input.js';

const detector = createPiiDetector({ minScore: 0 });
const detect = (text: string) => detector.detect(text, { role: 'user', normalized: identityText(text) });

// Text made of the characters PII patterns care about, so arbitrary inputs often reach the validators.
const piiAlphabet = fc.constantFrom(
  ...'0123456789 -.:@/+()#AaBbCcXxZzJjMmSs\n',
  'John ',
  'Smith',
  'Street',
  '4111',
  'GB82',
  'bc1q',
  '0x',
  '://',
  'DOB: ',
  'Mr. ',
  'é',
  '😀',
);
const piiText = fc.array(piiAlphabet, { maxLength: 120 }).map((parts) => parts.join(''));

// Valid values and their types; inserted between filler words they must be found with exact spans.
const VALUES: readonly [string, string][] = [
  ['EMAIL_ADDRESS', 'jane.doe@example.org'],
  ['CREDIT_CARD', '4111 1111 1111 1111'],
  ['CREDIT_CARD', '378282246310005'],
  ['IBAN_CODE', 'DE89370400440532013000'],
  ['IBAN_CODE', 'GB82 WEST 1234 5698 7654 32'],
  ['US_SSN', '521-44-9382'],
  ['MAC_ADDRESS', '00:1A:2B:3C:4D:5E'],
  ['CRYPTO', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
  ['CRYPTO', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
  ['URL_WITH_CREDENTIALS', 'https://user:pw@example.net/path'],
  ['IT_FISCAL_CODE', 'RSSMRA85T10A562S'],
  ['IP_ADDRESS', '93.184.216.34'],
];
const fillerWord = fc.stringMatching(/^[a-z]{1,8}$/);
const filler = fc.array(fillerWord, { maxLength: 8 }).map((words) => words.join(' '));

describe('pii detector properties', () => {
  it('keeps every span inside the text, non-empty and masked', () => {
    fc.assert(
      fc.property(
        fc.oneof(piiText, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 80 })),
        (text) => {
          for (const finding of detect(text)) {
            expect(spanIsValid(finding, text.length)).toBe(true);
            expect(finding.end).toBeGreaterThan(finding.start);
            expect(finding.score).toBeGreaterThanOrEqual(0);
            expect(finding.score).toBeLessThanOrEqual(1);
            if (finding.end - finding.start > 4) {
              expect(finding.evidence).not.toBe(text.slice(finding.start, finding.end));
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds a valid value between filler words with a span covering exactly the value', () => {
    fc.assert(
      fc.property(filler, fc.constantFrom(...VALUES), filler, (before, [type, value], after) => {
        const prefix = before.length > 0 ? `${before} ` : '';
        const text = `${prefix}${value}${after.length > 0 ? ` ${after}` : ''}`;
        const match = detect(text).find((finding) => finding.type === type);
        expect(match).toBeDefined();
        expect(text.slice(match!.start, match!.end)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('recognizer needs', () => {
  it('a recognizer that needs a digit or a long number finds nothing in a text without one', () => {
    const needing = PII_RECOGNIZERS.filter((recognizer) => recognizer.needs !== undefined);
    expect(needing.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(fc.oneof(piiText, fc.string({ maxLength: 200 })), (text) => {
        const input = createScanInput(text, 'US');
        for (const recognizer of needing) {
          const held = recognizer.needs === 'digit' ? input.hasDigit : input.hasLongNumber;
          if (!held) expect(recognizer.find(createScanInput(text, 'US'))).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
