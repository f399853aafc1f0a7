import type { ByteSource } from '../byte-source.js';

/** One tar member. */
export interface TarEntry {
  name: string;
  /** '0' file, '1' hard link, '2' symbolic link, '5' directory, … (POSIX typeflag). */
  type: string;
  linkName: string;
  dataOffset: number;
  size: number;
}

/** Members and the first structural problem, if any. */
export interface TarListing {
  entries: TarEntry[];
  problem: string | undefined;
}

const BLOCK = 512;
const latin1 = new TextDecoder('latin1');

function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return latin1.decode(end >= 0 ? bytes.subarray(0, end) : bytes);
}

/** Size field: octal text, or base-256 when the high bit of the first byte is set (GNU). */
function sizeField(block: Uint8Array): number {
  if (((block[124] as number) & 0x80) !== 0) {
    let value = 0;
    for (let index = 125; index < 136; index++) value = value * 256 + (block[index] as number);
    return value;
  }
  const text = field(block, 124, 12).trim();
  return /^[0-7]{1,12}$/.test(text) ? Number.parseInt(text, 8) : -1;
}

function checksumValid(block: Uint8Array): boolean {
  const stored = Number.parseInt(field(block, 148, 8).trim() || '-1', 8);
  let sum = 0;
  for (let index = 0; index < BLOCK; index++)
    sum += index >= 148 && index < 156 ? 0x20 : (block[index] as number);
  return stored === sum;
}

/** PAX extended header records "LEN key=value\n" (POSIX.1-2001); only `path` and `linkpath` matter. */
function paxRecords(text: string): Map<string, string> {
  const records = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d{1,10} ([^=]{1,64})=(.*)$/.exec(line);
    if (match) records.set(match[1] as string, match[2] as string);
  }
  return records;
}

/** Lists a ustar/GNU/PAX tar archive (POSIX.1-1988 ustar headers), reading headers only. */
export function readTar(source: ByteSource, maxEntries: number): TarListing {
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  for (let offset = 0; offset + BLOCK <= source.size; ) {
    if (entries.length >= maxEntries) return { entries, problem: `more than ${maxEntries} members` };
    const block = source.read(offset, BLOCK);
    if (block.every((byte) => byte === 0)) break;
    if (!checksumValid(block)) return { entries, problem: `header at byte ${offset} has a bad checksum` };
    const size = sizeField(block);
    if (size < 0) return { entries, problem: `header at byte ${offset} has an invalid size` };
    const type = String.fromCharCode((block[156] as number) || 0x30);
    const dataOffset = offset + BLOCK;
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    const smallText = (): string =>
      latin1.decode(source.read(dataOffset, Math.min(size, 1024 * 1024))).replace(/\0+$/, '');
    if (type === 'L') longName = smallText();
    else if (type === 'K') longLink = smallText();
    else if (type === 'x') pax = paxRecords(smallText());
    else if (type === 'g') continue;
    else {
      const prefix = field(block, 345, 155);
      const baseName = field(block, 0, 100);
      const name = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${baseName}` : baseName);
      const linkName = pax.get('linkpath') ?? longLink ?? field(block, 157, 100);
      entries.push({ name, type, linkName, dataOffset, size });
      longName = undefined;
      longLink = undefined;
      pax = new Map();
    }
  }
  return { entries, problem: undefined };
}
