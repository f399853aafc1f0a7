import { describe, expect, it } from 'vitest';
import { isAegisError } from '../spec/errors.js';
import type { Finding } from '../spec/finding.js';
import { identityText } from '../spec/text.js';
import { normalizeText } from './normalize.js';
import { createPiiDetector } from './pii.js';
import { BUILTIN_DETECTORS } from './registry.js';

const detector = createPiiDetector();

function detect(text: string, options?: Parameters<typeof createPiiDetector>[0]): Finding[] {
  const instance = options ? createPiiDetector(options) : detector;
  return instance.detect(text, { role: 'user', normalized: identityText(text) });
}

/** The findings as `TYPE=value` strings, using the spans. */
function found(text: string): string[] {
  return detect(text).map((finding) => `${finding.type}=${text.slice(finding.start, finding.end)}`);
}

// [type, text, value]: the value must be found with exactly this span.
const POSITIVES: readonly [string, string, string][] = [
  ['EMAIL_ADDRESS', 'Write to jane.doe+news@mail.example.co.uk today.', 'jane.doe+news@mail.example.co.uk'],
  ['EMAIL_ADDRESS', 'contact: R.Lansing@Shoresec.com.', 'R.Lansing@Shoresec.com'],
  ['PHONE_NUMBER', 'Call me at (415) 555-2671 tomorrow.', '(415) 555-2671'],
  ['PHONE_NUMBER', 'Our Paris office: +33 1 42 68 53 00.', '+33 1 42 68 53 00'],
  ['PHONE_NUMBER', 'UK mobile +44 7911 123456 is mine', '+44 7911 123456'],
  ['PHONE_NUMBER', 'phone: 415-555-2671', '415-555-2671'],
  ['CREDIT_CARD', 'Visa 4111 1111 1111 1111 expires soon', '4111 1111 1111 1111'],
  ['CREDIT_CARD', 'mc 2223-0000-4840-0011 ok', '2223-0000-4840-0011'],
  ['CREDIT_CARD', 'card 5555555555554444.', '5555555555554444'],
  ['CREDIT_CARD', 'amex 3782 822463 10005', '3782 822463 10005'],
  ['CREDIT_CARD', 'discover 6011111111111117', '6011111111111117'],
  ['CREDIT_CARD', 'jcb 3530111333300000', '3530111333300000'],
  ['CREDIT_CARD', 'diners 3622 720627 1667', '3622 720627 1667'],
  ['CREDIT_CARD', 'unionpay 6200000000000005', '6200000000000005'],
  ['CREDIT_CARD', 'maestro 6759 6498 2643 8453', '6759 6498 2643 8453'],
  ['IBAN_CODE', 'IBAN GB82 WEST 1234 5698 7654 32 please', 'GB82 WEST 1234 5698 7654 32'],
  ['IBAN_CODE', 'pay DE89370400440532013000.', 'DE89370400440532013000'],
  ['IBAN_CODE', 'FR14 2004 1010 0505 0001 3M02 606 is the account', 'FR14 2004 1010 0505 0001 3M02 606'],
  ['IBAN_CODE', 'NO9386011117947', 'NO9386011117947'],
  ['US_SSN', 'My SSN is 521-44-9382.', '521-44-9382'],
  ['US_SSN', 'social security number 521449382', '521449382'],
  ['US_SSN', 'ref 078-12-3456 on file', '078-12-3456'],
  ['IP_ADDRESS', 'the server at 93.184.216.34 refused', '93.184.216.34'],
  ['IP_ADDRESS', 'connect to 2606:4700:4700::1111 now', '2606:4700:4700::1111'],
  ['IP_ADDRESS', 'host 2001:4860:4860:0:0:0:0:8888', '2001:4860:4860:0:0:0:0:8888'],
  ['IP_ADDRESS', 'client ::ffff:93.184.216.34 logged in', '::ffff:93.184.216.34'],
  ['MAC_ADDRESS', 'MAC 00:1A:2B:3C:4D:5E', '00:1A:2B:3C:4D:5E'],
  ['MAC_ADDRESS', 'adapter 00-1a-2b-3c-4d-5e found', '00-1a-2b-3c-4d-5e'],
  ['MAC_ADDRESS', 'mac 001a.2b3c.4d5e', '001a.2b3c.4d5e'],
  ['CRYPTO', 'send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
  ['CRYPTO', 'P2SH 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
  [
    'CRYPTO',
    'wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  ],
  [
    'CRYPTO',
    'taproot bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
    'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
  ],
  ['CRYPTO', 'eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
  [
    'URL_WITH_CREDENTIALS',
    'use postgres://admin:s3cr3t@db.internal:5432/app.',
    'postgres://admin:s3cr3t@db.internal:5432/app',
  ],
  [
    'URL_WITH_CREDENTIALS',
    '"https://bob:hunter2@example.org/x?y=1"',
    'https://bob:hunter2@example.org/x?y=1',
  ],
  ['UK_NINO', 'National Insurance number AB 12 34 56 C', 'AB 12 34 56 C'],
  ['ES_DNI', 'DNI 12345678Z', '12345678Z'],
  ['ES_NIE', 'NIE X-1234567-L', 'X-1234567-L'],
  ['IT_FISCAL_CODE', 'codice fiscale RSSMRA85T10A562S', 'RSSMRA85T10A562S'],
  ['FR_NIR', 'numéro de sécurité sociale 2 55 08 14 168 025 38', '2 55 08 14 168 025 38'],
  ['DE_TAX_ID', 'Steuer-ID: 86 095 742 719', '86 095 742 719'],
  ['IN_AADHAAR', 'Aadhaar 2341 2341 2346', '2341 2341 2346'],
  ['US_PASSPORT', 'passport number 912803456', '912803456'],
  ['US_PASSPORT', 'Passport no. C03005988', 'C03005988'],
  ['US_DRIVER_LICENSE', "driver's license D245-938-19-203", 'D245-938-19-203'],
  ['US_DRIVER_LICENSE', 'DL: A1234567', 'A1234567'],
  ['DATE_OF_BIRTH', 'I was born on 12/03/1985 in Ohio', '12/03/1985'],
  ['DATE_OF_BIRTH', 'DOB: March 3, 1985', 'March 3, 1985'],
  ['DATE_OF_BIRTH', 'Geburtsdatum: 3. März 1985', '3. März 1985'],
  ['DATE_OF_BIRTH', 'née le 14 juillet 1990 à Lyon', '14 juillet 1990'],
  ['DATE_OF_BIRTH', 'date of birth 1985-03-12', '1985-03-12'],
  ['PERSON', 'Hi, my name is Priya Sharma.', 'Priya Sharma'],
  ['PERSON', 'Please ask Dr. Okonkwo about it', 'Okonkwo'],
  ['PERSON', 'We met Michael Tran yesterday', 'Michael Tran'],
  ['PERSON', 'Forward it to José García.', 'José García'],
  ['PERSON', "It was Sean O'Brien's idea", "Sean O'Brien"],
  ['PERSON', 'Best regards,\nAnna van der Berg', 'Anna van der Berg'],
  ['STREET_ADDRESS', 'I live at 221B Baker Street, London NW1 6XE', '221B Baker Street, London NW1 6XE'],
  [
    'STREET_ADDRESS',
    'Ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500.',
    '1600 Pennsylvania Avenue NW, Washington, DC 20500',
  ],
  ['STREET_ADDRESS', 'Anschrift: Hauptstraße 5, 10115 Berlin', 'Hauptstraße 5, 10115 Berlin'],
  ['STREET_ADDRESS', 'adresse: 12 rue de la Paix, 75002 Paris', '12 rue de la Paix, 75002 Paris'],
  ['STREET_ADDRESS', 'Vivo en Calle Mayor 5, Madrid', 'Calle Mayor 5'],
  ['STREET_ADDRESS', 'I live at 42 Maple Drive', '42 Maple Drive'],
];

describe('pii detector: positives', () => {
  it.each(POSITIVES)('%s in %j', (type, text, value) => {
    expect(found(text)).toContain(`${type}=${value}`);
  });

  it('reports plain finding data', () => {
    const [finding] = detect('Visa 4111 1111 1111 1111');
    expect(finding).toMatchObject({
      detector: 'pii',
      family: 'pii',
      category: 'sensitive-data',
      type: 'CREDIT_CARD',
      severity: 'high',
      ruleId: 'pii.credit-card',
      start: 5,
      end: 24,
    });
    expect(finding!.score).toBeGreaterThanOrEqual(0.5);
    expect(finding!.score).toBeLessThanOrEqual(1);
  });
});

// Text that looks like PII but is not (or only at a score below the default threshold).
const NEAR_MISSES: readonly string[] = [
  'request id 550e8400-e29b-41d4-a716-446655440000 failed',
  'commit 3f786850e387550fdab836ed7e6dc881de23001b and sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'card 4111 1111 1111 1112 (wrong check digit)',
  'IBAN GB82 WEST 1234 5698 7654 33',
  'SSN 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567 and 123-45-0000',
  'Aadhaar 2341 2341 2347 and 1341 2341 2346',
  'upgrade to 1.2.3, v2.10.4 or version 10.0.19041.1',
  'at 2024-01-15T10:30:00Z (epoch 1700000000), 12:30:45',
  'for (let i = 0; i < 1000000; i++) { total += values[123456789]; }',
  'it costs $1,299.99 or € 4.500,00 or 12345.67',
  'Order #123456789012 and invoice 2024-000123 shipped',
  'ISBN 978-3-16-148410-0',
  'a plain long number 12345678901234567890',
  'use std::vector and Foo::Bar::baz in C++',
  'the meeting is on 2024-01-15 at 10:00',
  'The quick brown fox jumps over the lazy dog.',
  'Python 3.11.4 was released; install numpy==1.26.0',
  'Call the function with 20 retries and 3000 ms timeout',
  'bare nine digits 521449382 in a list',
  'the ETH hash 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD has a bad checksum',
  'BTC 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
  'New York and Los Angeles are cities; Microsoft Teams is an app.',
  'In 2019, 1,234 people visited 3 Main attractions.',
  'I bought 2 Internal Solid State Hard Drive units and 3 Simple Way guides.',
];

describe('pii detector: near-misses', () => {
  it.each(NEAR_MISSES)('finds nothing in %j', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('reports loopback and private addresses only below the default threshold', () => {
    expect(found('ping 127.0.0.1 or 10.0.0.1 or ::1')).toEqual([]);
    const weak = detect('ping 10.0.0.1', { minScore: 0 });
    expect(weak.map((finding) => finding.type)).toEqual(['IP_ADDRESS']);
    expect(weak[0]!.score).toBeLessThan(0.5);
  });

  it('needs context for bare nine digits and checksum-free formats', () => {
    expect(found('ssn 521449382')).toEqual(['US_SSN=521449382']);
    expect(found('id A1234567')).toEqual([]);
    expect(found('license no A1234567')).toEqual(['US_DRIVER_LICENSE=A1234567']);
  });

  it('lowers the score near words such as "example" and "test"', () => {
    const plain = detect('SSN 521-44-9382')[0]!.score;
    const sample = detect('example SSN 521-44-9382')[0]!.score;
    expect(sample).toBeLessThan(plain);
  });
});

describe('pii detector: overlaps and evidence', () => {
  it('keeps the card, not a phone number inside it', () => {
    expect(found('call 4111 1111 1111 1111')).toEqual(['CREDIT_CARD=4111 1111 1111 1111']);
  });

  it('keeps the URL with credentials, not an email inside it', () => {
    expect(found('https://user:pass@mail.example.com')).toEqual([
      'URL_WITH_CREDENTIALS=https://user:pass@mail.example.com',
    ]);
  });

  it('never repeats a value in full in the evidence', () => {
    const text = [
      'jane.doe@example.com',
      '4111 1111 1111 1111',
      'SSN 521-44-9382',
      'GB82 WEST 1234 5698 7654 32',
      'postgres://admin:s3cr3t@db.internal/app',
      'my name is Priya Sharma',
      'DOB: 12/03/1985',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    ].join(' ; ');
    const findings = detect(text);
    expect(findings.length).toBeGreaterThanOrEqual(8);
    for (const finding of findings) {
      const value = text.slice(finding.start, finding.end);
      expect(finding.evidence).toBeDefined();
      expect(finding.evidence).not.toBe(value);
      expect(finding.evidence).not.toContain('s3cr3t');
    }
    const byType = new Map(findings.map((finding) => [finding.type, finding.evidence]));
    expect(byType.get('CREDIT_CARD')).toBe('**** **** **** 1111');
    expect(byType.get('EMAIL_ADDRESS')).toBe('j***@example.com');
    expect(byType.get('URL_WITH_CREDENTIALS')).toBe('postgres://***:***@db.internal/app');
  });
});

describe('pii detector: normalized text', () => {
  it('finds values hidden with fullwidth digits or invisible characters, spans in the original', () => {
    const text = 'card ４１１１ １１１１ １１１１ １１１１ and mail j\u200bane@example.com';
    const findings = detector.detect(text, { role: 'user', normalized: normalizeText(text) });
    const values = findings.map((finding) => `${finding.type}=${text.slice(finding.start, finding.end)}`);
    expect(values).toEqual([
      'CREDIT_CARD=４１１１ １１１１ １１１１ １１１１',
      'EMAIL_ADDRESS=j\u200bane@example.com',
    ]);
  });
});

describe('pii detector: options', () => {
  it('uses the default region for national phone numbers', () => {
    expect(found('Telefon 030 901820 99')).toEqual([]);
    const german = detect('Telefon 030 90182099', { defaultRegion: 'DE' });
    expect(german.map((finding) => finding.type)).toEqual(['PHONE_NUMBER']);
  });

  it('limits the types it reports', () => {
    const text = 'jane@example.com 4111 1111 1111 1111';
    expect(detect(text, { types: ['EMAIL_ADDRESS'] }).map((finding) => finding.type)).toEqual([
      'EMAIL_ADDRESS',
    ]);
  });

  it('rejects unknown options and bad values with a clear error', () => {
    for (const bad of [{ colour: 'red' }, { minScore: 2 }, { defaultRegion: 'XX' }, { types: ['NOPE'] }]) {
      let error: unknown;
      try {
        createPiiDetector(bad as never);
      } catch (caught) {
        error = caught;
      }
      expect(isAegisError(error, 'AEGIS_CONFIG_INVALID')).toBe(true);
    }
  });

  it('is listed in the registry', () => {
    const entry = BUILTIN_DETECTORS.find((candidate) => candidate.id === 'pii');
    expect(entry?.create().family).toBe('pii');
  });
});
