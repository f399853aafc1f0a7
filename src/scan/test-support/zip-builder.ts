import { crc32, deflateRawSync } from 'node:zlib';

/** One member of a test zip, with knobs for the tricks scanners have been fooled by. */
export interface ZipMemberSpec {
  name: string;
  data: Uint8Array;
  /** Deflate instead of store. */
  deflate?: boolean;
  /** General-purpose flag bits for both headers (e.g. 0x1 "encrypted"). */
  flags?: number;
  /** A different name in the central directory (CVE-2025-1944 style). */
  centralName?: string;
  /** Unix mode in the central directory's external attributes (0o120777 = symlink). */
  unixMode?: number;
  /** Wrong CRC-32 in both headers. */
  badCrc?: boolean;
}

function u16(value: number): number[] {
  return [value & 0xff, (value >> 8) & 0xff];
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** Builds a zip archive (PKWARE APPNOTE: local headers, central directory, end record). */
export function buildZip(members: readonly ZipMemberSpec[]): Uint8Array {
  const out: number[] = [];
  const central: number[] = [];
  for (const member of members) {
    const stored = member.deflate ? deflateRawSync(member.data) : member.data;
    const crc = member.badCrc ? 0xdeadbeef : crc32(member.data) >>> 0;
    const name = [...Buffer.from(member.name, 'utf8')];
    const centralName = [...Buffer.from(member.centralName ?? member.name, 'utf8')];
    const flags = (member.flags ?? 0) | 0x800;
    const method = member.deflate ? 8 : 0;
    const offset = out.length;
    out.push(...u32(0x04034b50), ...u16(20), ...u16(flags), ...u16(method), ...u16(0), ...u16(0x21));
    out.push(
      ...u32(crc),
      ...u32(stored.length),
      ...u32(member.data.length),
      ...u16(name.length),
      ...u16(0),
      ...name,
    );
    for (const byte of stored) out.push(byte);
    const madeBy = member.unixMode === undefined ? 20 : (3 << 8) | 20;
    const external = member.unixMode === undefined ? 0 : (member.unixMode << 16) >>> 0;
    central.push(
      ...u32(0x02014b50),
      ...u16(madeBy),
      ...u16(20),
      ...u16(flags),
      ...u16(method),
      ...u16(0),
      ...u16(0x21),
    );
    central.push(...u32(crc), ...u32(stored.length), ...u32(member.data.length), ...u16(centralName.length));
    central.push(
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(external),
      ...u32(offset),
      ...centralName,
    );
  }
  const centralOffset = out.length;
  out.push(...central);
  out.push(...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(members.length), ...u16(members.length));
  out.push(...u32(central.length), ...u32(centralOffset), ...u16(0));
  return Uint8Array.from(out);
}

/** One member of a test tar. */
export interface TarMemberSpec {
  name: string;
  data?: Uint8Array;
  /** POSIX typeflag: '0' file (default), '2' symlink, '1' hard link, '5' directory. */
  type?: string;
  linkName?: string;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** Builds a ustar archive (POSIX.1-1988): 512-byte headers, padded data, two zero blocks. */
export function buildTar(members: readonly TarMemberSpec[]): Uint8Array {
  const blocks: Buffer[] = [];
  for (const member of members) {
    const data = Buffer.from(member.data ?? new Uint8Array(0));
    const header = Buffer.alloc(512);
    header.write(member.name, 0, 100, 'utf8');
    header.write(octal(0o644, 8), 100, 'ascii');
    header.write(octal(0, 8), 108, 'ascii');
    header.write(octal(0, 8), 116, 'ascii');
    header.write(octal(data.length, 12), 124, 'ascii');
    header.write(octal(0, 12), 136, 'ascii');
    header.write('        ', 148, 'ascii');
    header.write(member.type ?? '0', 156, 'ascii');
    header.write(member.linkName ?? '', 157, 100, 'utf8');
    header.write('ustar\0', 257, 'ascii');
    header.write('00', 263, 'ascii');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return new Uint8Array(Buffer.concat(blocks));
}
