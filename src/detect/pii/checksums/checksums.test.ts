import { describe, expect, it } from 'vitest';
import { base58CheckDecode } from './base58check.js';
import { segwitAddressValid } from './bech32.js';
import { codiceFiscaleValid } from './codice-fiscale.js';
import { eip55Valid } from './eip55.js';
import { frenchNirValid } from './french-nir.js';
import { iso7064Mod11And10Valid } from './iso7064-mod11-10.js';
import { keccak256 } from './keccak256.js';
import { luhnValid } from './luhn.js';
import { mod97 } from './mod97.js';
import { dniLetterValid, nieValid } from './spanish-id.js';
import { verhoeffValid } from './verhoeff.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('keccak256', () => {
  it('matches the published Keccak-256 vectors (not SHA3-256)', () => {
    expect(hex(keccak256(new Uint8Array()))).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(hex(keccak256(new TextEncoder().encode('abc')))).toBe(
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('handles inputs longer than one block', () => {
    const long = keccak256(new Uint8Array(300).fill(0x61));
    expect(long).toHaveLength(32);
    expect(hex(long)).not.toBe(hex(keccak256(new Uint8Array(299).fill(0x61))));
  });
});

describe('EIP-55', () => {
  it('accepts the EIP-55 reference addresses', () => {
    for (const address of [
      '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      'fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      'dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      'D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      expect(eip55Valid(address)).toBe(true);
    }
  });

  it('rejects a flipped case', () => {
    expect(eip55Valid('5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toBe(false);
    expect(eip55Valid('5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe')).toBe(false);
  });
});

describe('Luhn', () => {
  it('validates card numbers', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111-1111')).toBe(false);
  });
});

describe('mod 97', () => {
  it('computes remainders of long numbers', () => {
    expect(mod97('97')).toBe(0);
    expect(mod97('3214282912345698765432161182')).toBe(1); // GB82 WEST 1234 5698 7654 32 rearranged
  });
});

describe('Verhoeff', () => {
  it('validates Aadhaar-style numbers', () => {
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('234123412346')).toBe(true);
    expect(verhoeffValid('234123412347')).toBe(false);
    expect(verhoeffValid('x')).toBe(false);
  });
});

describe('ISO 7064 MOD 11,10', () => {
  it('validates German tax ids', () => {
    expect(iso7064Mod11And10Valid('86095742719')).toBe(true);
    expect(iso7064Mod11And10Valid('86095742718')).toBe(false);
  });
});

describe('Base58Check', () => {
  it('decodes valid P2PKH and P2SH addresses', () => {
    expect(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')?.[0]).toBe(0);
    expect(base58CheckDecode('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')?.[0]).toBe(5);
  });

  it('rejects a changed character and characters outside the alphabet', () => {
    expect(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toBeUndefined();
    expect(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0')).toBeUndefined();
  });
});

describe('Bech32 / Bech32m', () => {
  it('accepts BIP-173 and BIP-350 vectors', () => {
    expect(segwitAddressValid('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toBe(true);
    expect(segwitAddressValid('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toBe(true);
    expect(segwitAddressValid('bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297')).toBe(true);
  });

  it('rejects bad checksums, mixed case and version/constant mismatches', () => {
    expect(segwitAddressValid('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx')).toBe(false);
    expect(segwitAddressValid('bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toBe(false);
    // BIP-350: a v1 program with a Bech32 (not Bech32m) checksum is invalid
    expect(
      segwitAddressValid('bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx'),
    ).toBe(false);
  });
});

describe('national id checks', () => {
  it('codice fiscale', () => {
    expect(codiceFiscaleValid('RSSMRA85T10A562S')).toBe(true);
    expect(codiceFiscaleValid('MRTMTT91D08F205J')).toBe(true);
    expect(codiceFiscaleValid('RSSMRA85T10A562T')).toBe(false);
  });

  it('Spanish DNI and NIE', () => {
    expect(dniLetterValid('12345678', 'Z')).toBe(true);
    expect(dniLetterValid('12345678', 'A')).toBe(false);
    expect(nieValid('X1234567L')).toBe(true);
    expect(nieValid('X1234567A')).toBe(false);
  });

  it('French NIR, including Corsica', () => {
    expect(frenchNirValid('2 55 08 14 168 025 38')).toBe(true);
    expect(frenchNirValid('255081416802539')).toBe(false);
    // 2A counts as 19 and 2B as 18 (keys computed independently: 97 − n mod 97)
    expect(frenchNirValid('1 85 05 2A 004 123 56')).toBe(true);
    expect(frenchNirValid('1 85 05 2B 004 123 83')).toBe(true);
    expect(frenchNirValid('1 85 05 2A 004 123 83')).toBe(false);
  });
});
