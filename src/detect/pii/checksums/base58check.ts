import { createHash } from 'node:crypto';

// Bitcoin Base58Check (Bitcoin Core base58.cpp): payload + first 4 bytes of SHA-256(SHA-256(payload)).
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const INDEX = new Map([...ALPHABET].map((char, index) => [char, index]));

/** Decodes a Base58 string to bytes; undefined when it holds a character outside the alphabet. */
export function base58Decode(value: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const char of value) {
    let carry = INDEX.get(char);
    if (carry === undefined) return undefined;
    for (let index = 0; index < bytes.length; index += 1) {
      carry += bytes[index]! * 58;
      bytes[index] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const char of value) {
    if (char !== '1') break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

/** Decodes Base58Check and verifies the double-SHA-256 checksum; returns the payload or undefined. */
export function base58CheckDecode(value: string): Uint8Array | undefined {
  const bytes = base58Decode(value);
  if (bytes === undefined || bytes.length < 5) return undefined;
  const payload = bytes.subarray(0, bytes.length - 4);
  const checksum = bytes.subarray(bytes.length - 4);
  const first = createHash('sha256').update(payload).digest();
  const second = createHash('sha256').update(first).digest();
  for (let index = 0; index < 4; index += 1) if (second[index] !== checksum[index]) return undefined;
  return payload;
}
