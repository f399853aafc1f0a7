/**
 * Keccak-256 as used by Ethereum (the original Keccak submission padding 0x01, not the NIST SHA3-256
 * padding 0x06 that `node:crypto`'s `sha3-256` implements). Small and only used to verify EIP-55
 * address checksums, so it favours clarity over speed: 64-bit lanes are BigInts. Round constants and
 * rotation offsets are derived as in the Keccak reference (FIPS 202 §3.2) rather than typed in.
 */
const MASK_64 = (1n << 64n) - 1n;
const RATE_BYTES = 136; // 1600 - 2 * 256 bits of capacity

function deriveRoundConstants(): bigint[] {
  const constants: bigint[] = [];
  let register = 1;
  const nextBit = (): number => {
    const bit = register & 1;
    register = register & 0x80 ? ((register << 1) ^ 0x71) & 0xff : (register << 1) & 0xff;
    return bit;
  };
  for (let round = 0; round < 24; round += 1) {
    let constant = 0n;
    for (let j = 0; j < 7; j += 1) if (nextBit()) constant |= 1n << BigInt((1 << j) - 1);
    constants.push(constant);
  }
  return constants;
}

function deriveRotations(): number[] {
  const rotations = new Array<number>(25).fill(0);
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t += 1) {
    rotations[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return rotations;
}

const ROUND_CONSTANTS = deriveRoundConstants();
const ROTATIONS = deriveRotations();

function rotateLeft(value: bigint, shift: number): bigint {
  if (shift === 0) return value;
  const amount = BigInt(shift);
  return ((value << amount) | (value >> (64n - amount))) & MASK_64;
}

function permute(state: bigint[]): void {
  const columns = new Array<bigint>(5).fill(0n);
  const moved = new Array<bigint>(25).fill(0n);
  for (const roundConstant of ROUND_CONSTANTS) {
    for (let x = 0; x < 5; x += 1) {
      columns[x] = state[x]! ^ state[x + 5]! ^ state[x + 10]! ^ state[x + 15]! ^ state[x + 20]!;
    }
    for (let x = 0; x < 5; x += 1) {
      const theta = columns[(x + 4) % 5]! ^ rotateLeft(columns[(x + 1) % 5]!, 1);
      for (let y = 0; y < 25; y += 5) state[x + y] = state[x + y]! ^ theta;
    }
    for (let x = 0; x < 5; x += 1) {
      for (let y = 0; y < 5; y += 1) {
        moved[y + 5 * ((2 * x + 3 * y) % 5)] = rotateLeft(state[x + 5 * y]!, ROTATIONS[x + 5 * y]!);
      }
    }
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x += 1) {
        state[x + y] = moved[x + y]! ^ (~moved[((x + 1) % 5) + y]! & MASK_64 & moved[((x + 2) % 5) + y]!);
      }
    }
    state[0] = state[0]! ^ roundConstant;
  }
}

/** Keccak-256 digest of `input` (32 bytes). */
export function keccak256(input: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.floor(input.length / RATE_BYTES + 1) * RATE_BYTES);
  padded.set(input);
  padded[input.length] = padded[input.length]! ^ 0x01;
  padded[padded.length - 1] = padded[padded.length - 1]! ^ 0x80;
  const state = new Array<bigint>(25).fill(0n);
  for (let offset = 0; offset < padded.length; offset += RATE_BYTES) {
    for (let lane = 0; lane < RATE_BYTES / 8; lane += 1) {
      let value = 0n;
      for (let byte = 7; byte >= 0; byte -= 1)
        value = (value << 8n) | BigInt(padded[offset + lane * 8 + byte]!);
      state[lane] = state[lane]! ^ value;
    }
    permute(state);
  }
  const digest = new Uint8Array(32);
  for (let index = 0; index < 32; index += 1) {
    digest[index] = Number((state[index >> 3]! >> BigInt(8 * (index & 7))) & 0xffn);
  }
  return digest;
}
