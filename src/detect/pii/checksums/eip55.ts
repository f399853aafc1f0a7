import { keccak256 } from './keccak256.js';

/**
 * EIP-55 mixed-case checksum for Ethereum addresses: the n-th hex letter is uppercase exactly when the
 * n-th nibble of keccak256(lowercase hex address) is ≥ 8. `address` is the 40 hex digits without `0x`.
 */
export function eip55Valid(address: string): boolean {
  if (!/^[0-9a-fA-F]{40}$/.test(address)) return false;
  const lower = address.toLowerCase();
  const hash = keccak256(new TextEncoder().encode(lower));
  for (let index = 0; index < 40; index += 1) {
    const char = address[index]!;
    if (char >= '0' && char <= '9') continue;
    const nibble = (hash[index >> 1]! >> (index % 2 === 0 ? 4 : 0)) & 0xf;
    const upper = char >= 'A' && char <= 'F';
    if (upper !== nibble >= 8) return false;
  }
  return true;
}
