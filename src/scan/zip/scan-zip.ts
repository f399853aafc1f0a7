import { constants, crc32, inflateRawSync } from 'node:zlib';
import { type ByteSource, createBufferSource, createSliceSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import type { FormatResult, ScanContext } from '../formats/scan-context.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { unsafeMemberPath } from './member-path.js';
import { readZip, type ZipEntry } from './read-zip.js';

/** Scans one member source; the dispatcher passes itself so archives can nest. */
export type MemberScanner = (source: ByteSource, context: ScanContext) => FormatResult & { format: string };

const SNIFF_INFLATE_BYTES = 256 * 1024;
const CRC_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/** Opens a member as a byte source: stored members are windows onto the file (never copied). */
function openMember(
  source: ByteSource,
  entry: ZipEntry,
  context: ScanContext,
  findings: ScanFinding[],
): { member: ByteSource; inMemory: boolean } | undefined {
  const location = `${context.location}!${printable(entry.name, 200)}`;
  if (entry.method === 0) {
    return {
      member: createSliceSource({ source, offset: entry.dataOffset, length: entry.compressedSize }),
      inMemory: false,
    };
  }
  if (entry.method !== 8) {
    findings.push(
      makeFinding({
        rule: RULES.zipMethod,
        message: `compression method ${entry.method} is not supported; member not scanned`,
        location,
      }),
    );
    return undefined;
  }
  if (entry.compressedSize > context.limits.maxMemberBytes) {
    findings.push(
      makeFinding({
        rule: RULES.archiveLimit,
        message: `compressed member of ${entry.compressedSize} bytes exceeds the member limit`,
        location,
      }),
    );
    return undefined;
  }
  const maxOutputLength = Math.max(1, Math.min(context.limits.maxMemberBytes, context.budget.inflatedBytes));
  const compressed = source.read(entry.dataOffset, entry.compressedSize);
  let inflated: Uint8Array;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      const rule =
        entry.compressedSize * context.limits.maxCompressionRatio < maxOutputLength
          ? RULES.compressionRatio
          : RULES.archiveLimit;
      findings.push(
        makeFinding({
          rule,
          message: `member inflates beyond ${maxOutputLength} bytes from ${entry.compressedSize}`,
          location,
        }),
      );
      return undefined;
    }
    // Damaged deflate data: scan what decodes before the damage.
    try {
      inflated = inflateRawSync(compressed, { maxOutputLength, finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      inflated = new Uint8Array(0);
    }
    findings.push(
      makeFinding({
        rule: RULES.zipMalformed,
        message: `deflate data is damaged; ${inflated.length} bytes recovered`,
        location,
      }),
    );
  }
  context.budget.inflatedBytes -= inflated.length;
  if (
    inflated.length > 1024 * 1024 &&
    inflated.length > entry.compressedSize * context.limits.maxCompressionRatio
  ) {
    findings.push(
      makeFinding({
        rule: RULES.compressionRatio,
        message: `member expands ${Math.round(inflated.length / Math.max(1, entry.compressedSize))}× (${inflated.length} bytes)`,
        location,
      }),
    );
  }
  return { member: createBufferSource(inflated), inMemory: true };
}

/** Tells whether a large deflated member is worth inflating by decoding only its first bytes. */
function headLooksScannable(
  source: ByteSource,
  entry: ZipEntry,
  isInteresting: (head: ByteSource) => boolean,
): boolean {
  if (entry.method !== 8 || entry.uncompressedSize <= 4 * SNIFF_INFLATE_BYTES) return true;
  try {
    const prefix = source.read(entry.dataOffset, Math.min(entry.compressedSize, SNIFF_INFLATE_BYTES));
    const head = inflateRawSync(prefix, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: SNIFF_INFLATE_BYTES * 8,
    });
    return isInteresting(createBufferSource(head));
  } catch {
    return true;
  }
}

/** Options of `scanZip`. */
export interface ScanZipOptions {
  source: ByteSource;
  context: ScanContext;
  scanMember: MemberScanner;
  /** True when a member's head is a format worth reading in full (not raw tensor bytes). */
  isInteresting: (head: ByteSource) => boolean;
}

/** Scans every member of a zip (PyTorch, Keras, NumPy .npz or plain) by content, with archive hygiene checks. */
export function scanZip(options: ScanZipOptions): FormatResult {
  const { source, context } = options;
  const findings: ScanFinding[] = [];
  const listing = readZip(source, context.limits.maxArchiveMembers);
  for (const problem of listing.problems) {
    const rule = problem.kind === 'limit' ? RULES.archiveLimit : RULES.zipMalformed;
    findings.push(makeFinding({ rule, message: problem.message, location: context.location }));
  }
  const formats: string[] = [];
  for (const entry of listing.entries) {
    const location = `${context.location}!${printable(entry.name, 200)}`;
    if (entry.centralName !== undefined && entry.centralName !== entry.name) {
      findings.push(
        makeFinding({
          rule: RULES.zipNameMismatch,
          message: `local header names ${printable(entry.name, 80)} but the central directory says ${printable(entry.centralName, 80)}`,
          location,
        }),
      );
    }
    if (entry.centralSizes !== undefined) {
      findings.push(
        makeFinding({
          rule: RULES.zipNameMismatch,
          message: `local header sizes ${entry.compressedSize}/${entry.uncompressedSize} differ from central directory ${entry.centralSizes.compressedSize}/${entry.centralSizes.uncompressedSize}`,
          location,
        }),
      );
    }
    // Bit 0 encrypted, bit 6 strong encryption, bit 13 masked headers: PyTorch reads the bytes anyway.
    if ((entry.flags & 0x2041) !== 0) {
      findings.push(
        makeFinding({
          rule: RULES.zipFlagBits,
          message: `general-purpose flags 0x${entry.flags.toString(16)} mark encryption; the data is scanned as PyTorch reads it`,
          location,
        }),
      );
    }
    for (const name of new Set([entry.name, entry.centralName ?? entry.name])) {
      const unsafe = unsafeMemberPath(name);
      if (unsafe)
        findings.push(
          makeFinding({
            rule: RULES.pathTraversal,
            message: `member path ${printable(name, 120)} ${unsafe}`,
            location,
          }),
        );
    }
    if (entry.isSymlink)
      findings.push(makeFinding({ rule: RULES.symlink, message: 'member is a symbolic link', location }));
    if (entry.name.endsWith('/') && entry.compressedSize === 0) continue;
    if (context.depth >= context.limits.maxNestingDepth) {
      findings.push(
        makeFinding({
          rule: RULES.archiveLimit,
          message: `archives nested deeper than ${context.limits.maxNestingDepth}; member not scanned`,
          location,
        }),
      );
      continue;
    }
    if (context.budget.inflatedBytes <= 0) {
      findings.push(
        makeFinding({
          rule: RULES.archiveLimit,
          message: 'archive inflated-size budget exhausted; remaining members not scanned',
          location,
        }),
      );
      break;
    }
    if (!headLooksScannable(source, entry, options.isInteresting)) continue;
    const opened = openMember(source, entry, context, findings);
    if (opened === undefined) continue;
    const { member, inMemory } = opened;
    if (
      (entry.flags & 0x1) === 0 &&
      (inMemory || member.size <= 1024 * 1024) &&
      member.size <= CRC_CHECK_MAX_BYTES &&
      typeof crc32 === 'function'
    ) {
      const actual = crc32(member.read(0, member.size)) >>> 0;
      if (actual !== entry.crc32 >>> 0) {
        findings.push(
          makeFinding({
            rule: RULES.zipCrc,
            message: `CRC-32 is ${actual.toString(16)}, header says ${(entry.crc32 >>> 0).toString(16)}`,
            location,
          }),
        );
      }
    }
    const result = options.scanMember(member, { ...context, location, depth: context.depth + 1 });
    formats.push(`${entry.name}\u0000${result.format}`);
    findings.push(...result.findings);
  }
  return { findings, format: zipKind(formats) };
}

/** Names the archive after what it holds. */
function zipKind(members: readonly string[]): string {
  const parsed = members.map((member) => member.split('\u0000') as [string, string]);
  if (parsed.some(([name, format]) => /(?:^|\/)data\.pkl$/.test(name) && format === 'pickle'))
    return 'pytorch-zip';
  if (parsed.some(([, format]) => format === 'keras-config')) return 'keras';
  if (parsed.length > 0 && parsed.every(([, format]) => format === 'numpy')) return 'npz';
  return 'zip';
}
