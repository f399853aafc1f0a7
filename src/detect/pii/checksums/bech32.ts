// Bech32 (BIP-173) and Bech32m (BIP-350) checksums for SegWit addresses.
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32_CONSTANT = 1;
const BECH32M_CONSTANT = 0x2bc830a3;

function polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let bit = 0; bit < 5; bit += 1) if ((top >>> bit) & 1) checksum ^= GENERATOR[bit]!;
  }
  return checksum >>> 0;
}

/**
 * Verifies a SegWit address: Bech32 for witness version 0, Bech32m for versions 1–16 (BIP-350).
 * Mixed case is invalid (BIP-173). Returns true when the checksum and the program length hold.
 */
export function segwitAddressValid(address: string, humanReadablePart = 'bc'): boolean {
  if (address.length > 90 || (address !== address.toLowerCase() && address !== address.toUpperCase())) {
    return false;
  }
  const lower = address.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (lower.slice(0, separator) !== humanReadablePart || lower.length - separator - 1 < 6) return false;
  const data: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const value = CHARSET.indexOf(char);
    if (value < 0) return false;
    data.push(value);
  }
  const expanded: number[] = [];
  for (const char of humanReadablePart) expanded.push(char.charCodeAt(0) >> 5);
  expanded.push(0);
  for (const char of humanReadablePart) expanded.push(char.charCodeAt(0) & 31);
  const constant = polymod([...expanded, ...data]);
  const version = data[0]!;
  if (version > 16) return false;
  if (constant !== (version === 0 ? BECH32_CONSTANT : BECH32M_CONSTANT)) return false;
  // Program bytes: 5-bit groups after the version, minus the 6 checksum groups.
  const programBytes = Math.floor(((data.length - 7) * 5) / 8);
  if (programBytes < 2 || programBytes > 40) return false;
  return version !== 0 || programBytes === 20 || programBytes === 32;
}
