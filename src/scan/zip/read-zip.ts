import type { ByteSource } from '../byte-source.js';

/** One zip member as the scanner will read it. */
export interface ZipEntry {
  /** Name from the local file header (what the data really is). */
  name: string;
  /** Name the central directory gives, when it lists this member. */
  centralName: string | undefined;
  localOffset: number;
  dataOffset: number;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  /** Unix mode from the central directory says symbolic link. */
  isSymlink: boolean;
  /** Sizes from the central directory when they differ from the local header. */
  centralSizes: { compressedSize: number; uncompressedSize: number } | undefined;
}

/** Structural problems noticed while listing. */
export interface ZipProblem {
  kind: 'malformed' | 'local-only' | 'limit';
  message: string;
}

/** Members and problems of a zip archive. */
export interface ZipListing {
  entries: ZipEntry[];
  problems: ZipProblem[];
}

interface CentralRecord {
  name: string;
  localOffset: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  isSymlink: boolean;
}

// PKWARE APPNOTE.TXT 6.3.x signatures.
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const DATA_DESCRIPTOR = 0x08074b50;
const MAX_32 = 0xffffffff;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(data: DataView, offset: number): number {
  return Number(data.getBigUint64(offset, true));
}

const utf8 = new TextDecoder('utf-8');
const cp437ish = new TextDecoder('latin1');

function decodeName(bytes: Uint8Array, flags: number): string {
  // Bit 11: UTF-8 names (APPNOTE 4.4.4); otherwise CP437, read as Latin-1 which keeps ASCII exact.
  return (flags & 0x800) !== 0 ? utf8.decode(bytes) : cp437ish.decode(bytes);
}

/** Zip64 extended information extra field (header id 0x0001), APPNOTE 4.5.3. */
function zip64Values(extra: Uint8Array, wanted: boolean[]): number[] {
  const data = view(extra);
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= extra.length; ) {
    const id = data.getUint16(offset, true);
    const size = data.getUint16(offset + 2, true);
    if (id === 0x0001) {
      let cursor = offset + 4;
      for (const needed of wanted) {
        if (!needed) continue;
        if (cursor + 8 > offset + 4 + size || cursor + 8 > extra.length) break;
        values.push(u64(data, cursor));
        cursor += 8;
      }
      return values;
    }
    offset += 4 + size;
  }
  return values;
}

function readCentral(
  source: ByteSource,
  maxEntries: number,
  problems: ZipProblem[],
): Map<number, CentralRecord> {
  const records = new Map<number, CentralRecord>();
  const tailLength = Math.min(source.size, 65_557);
  const tail = source.read(source.size - tailLength, tailLength);
  const tailView = view(tail);
  let end = -1;
  for (let index = tail.length - 22; index >= 0; index--) {
    if (tailView.getUint32(index, true) === END_OF_CENTRAL) {
      end = index;
      break;
    }
  }
  if (end < 0) {
    problems.push({ kind: 'malformed', message: 'no end-of-central-directory record' });
    return records;
  }
  let count = tailView.getUint16(end + 10, true);
  let directoryOffset = tailView.getUint32(end + 16, true);
  const endAbsolute = source.size - tailLength + end;
  if ((count === 0xffff || directoryOffset === MAX_32) && endAbsolute >= 20) {
    const locator = view(source.read(endAbsolute - 20, 20));
    if (locator.byteLength === 20 && locator.getUint32(0, true) === ZIP64_LOCATOR) {
      const record = view(source.read(u64(locator, 8), 56));
      if (record.byteLength === 56 && record.getUint32(0, true) === ZIP64_END) {
        count = u64(record, 32);
        directoryOffset = u64(record, 48);
      }
    }
  }
  let offset = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (records.size >= maxEntries) {
      problems.push({ kind: 'limit', message: `central directory lists more than ${maxEntries} members` });
      break;
    }
    const header = source.read(offset, 46);
    if (header.length < 46 || view(header).getUint32(0, true) !== CENTRAL_HEADER) {
      problems.push({ kind: 'malformed', message: `central directory entry ${index} is damaged` });
      break;
    }
    const data = view(header);
    const madeBy = data.getUint16(4, true);
    const flags = data.getUint16(8, true);
    const crc32 = data.getUint32(16, true);
    let compressedSize = data.getUint32(20, true);
    let uncompressedSize = data.getUint32(24, true);
    const nameLength = data.getUint16(28, true);
    const extraLength = data.getUint16(30, true);
    const commentLength = data.getUint16(32, true);
    const external = data.getUint32(38, true);
    let localOffset = data.getUint32(42, true);
    const name = decodeName(source.read(offset + 46, nameLength), flags);
    const extra = source.read(offset + 46 + nameLength, extraLength);
    const wanted = [uncompressedSize === MAX_32, compressedSize === MAX_32, localOffset === MAX_32];
    const values = zip64Values(extra, wanted);
    if (wanted[0]) uncompressedSize = values.shift() ?? uncompressedSize;
    if (wanted[1]) compressedSize = values.shift() ?? compressedSize;
    if (wanted[2]) localOffset = values.shift() ?? localOffset;
    // Unix mode lives in the high 16 bits of the external attributes when made on Unix (host 3).
    const isSymlink = madeBy >> 8 === 3 && ((external >>> 16) & 0o170000) === 0o120000;
    records.set(localOffset, { name, localOffset, compressedSize, uncompressedSize, crc32, isSymlink });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return records;
}

function readLocal(
  source: ByteSource,
  offset: number,
): Omit<ZipEntry, 'centralName' | 'isSymlink' | 'centralSizes'> | null {
  const header = source.read(offset, 30);
  if (header.length < 30) return null;
  const data = view(header);
  if (data.getUint32(0, true) !== LOCAL_HEADER) return null;
  const flags = data.getUint16(6, true);
  const method = data.getUint16(8, true);
  const crc32 = data.getUint32(14, true);
  let compressedSize = data.getUint32(18, true);
  let uncompressedSize = data.getUint32(22, true);
  const nameLength = data.getUint16(26, true);
  const extraLength = data.getUint16(28, true);
  const name = decodeName(source.read(offset + 30, nameLength), flags);
  const extra = source.read(offset + 30 + nameLength, extraLength);
  const wanted = [uncompressedSize === MAX_32, compressedSize === MAX_32];
  const values = zip64Values(extra, wanted);
  if (wanted[0]) uncompressedSize = values.shift() ?? uncompressedSize;
  if (wanted[1]) compressedSize = values.shift() ?? compressedSize;
  const dataOffset = offset + 30 + nameLength + extraLength;
  return { name, localOffset: offset, dataOffset, method, flags, compressedSize, uncompressedSize, crc32 };
}

/**
 * Lists a zip the way PyTorch's reader tolerates it: local file headers are walked from the start and
 * are the truth for names and sizes, the central directory adds members the walk missed, and every
 * disagreement is kept for the caller to report (CVE-2025-1944). General-purpose flag bits are carried
 * but never cause a member to be skipped (CVE-2025-1945).
 */
export function readZip(source: ByteSource, maxEntries: number): ZipListing {
  const problems: ZipProblem[] = [];
  const central = readCentral(source, maxEntries, problems);
  const entries: ZipEntry[] = [];
  const seen = new Set<number>();
  const addEntry = (local: NonNullable<ReturnType<typeof readLocal>>): ZipEntry => {
    const record = central.get(local.localOffset);
    // With a data descriptor (flag bit 3) the local sizes may be zero; the central directory has them.
    const deferred = (local.flags & 0x8) !== 0 && local.compressedSize === 0 && record !== undefined;
    const entry: ZipEntry = {
      ...local,
      compressedSize: deferred ? record.compressedSize : local.compressedSize,
      uncompressedSize: deferred ? record.uncompressedSize : local.uncompressedSize,
      crc32: (local.flags & 0x8) !== 0 && record !== undefined ? record.crc32 : local.crc32,
      centralName: record?.name,
      isSymlink: record?.isSymlink ?? false,
      centralSizes:
        record !== undefined &&
        !deferred &&
        (record.compressedSize !== local.compressedSize || record.uncompressedSize !== local.uncompressedSize)
          ? { compressedSize: record.compressedSize, uncompressedSize: record.uncompressedSize }
          : undefined,
    };
    if (record === undefined)
      problems.push({
        kind: 'local-only',
        message: `member ${entry.name} is not listed in the central directory`,
      });
    entries.push(entry);
    seen.add(local.localOffset);
    return entry;
  };
  for (let offset = 0; entries.length < maxEntries; ) {
    const local = readLocal(source, offset);
    if (local === null) break;
    const entry = addEntry(local);
    if ((local.flags & 0x8) !== 0 && local.compressedSize === 0 && entry.centralName === undefined) break;
    offset = entry.dataOffset + entry.compressedSize;
    if ((entry.flags & 0x8) !== 0) {
      const descriptor = source.read(offset, 4);
      const hasSignature = descriptor.length === 4 && view(descriptor).getUint32(0, true) === DATA_DESCRIPTOR;
      offset +=
        (hasSignature ? 4 : 0) +
        (entry.compressedSize >= MAX_32 || entry.uncompressedSize >= MAX_32 ? 20 : 12);
    }
  }
  for (const record of central.values()) {
    if (seen.has(record.localOffset) || entries.length >= maxEntries) continue;
    const local = readLocal(source, record.localOffset);
    if (local === null) {
      problems.push({
        kind: 'malformed',
        message: `central directory points at a missing local header for ${record.name}`,
      });
      continue;
    }
    addEntry(local);
  }
  if (entries.length >= maxEntries)
    problems.push({ kind: 'limit', message: `archive has more than ${maxEntries} members` });
  return { entries, problems };
}
