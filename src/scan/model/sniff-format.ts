import { type ByteSource, createBufferSource } from '../byte-source.js';
import { looksLikeProtobufModel } from '../formats/protobuf-shape.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { scanPickle } from '../pickle/scan-pickle.js';

/** Formats recognised from content. */
export type SniffedFormat =
  | 'zip'
  | 'tar'
  | 'gzip'
  | 'zlib'
  | 'bzip2'
  | 'xz'
  | 'lzma'
  | 'lz4'
  | 'numpy'
  | 'gguf'
  | 'hdf5'
  | 'safetensors'
  | 'pytorch-legacy'
  | 'pickle'
  | 'onnx'
  | 'tensorflow-savedmodel'
  | 'json'
  | 'text'
  | 'unknown';

/** Bytes read from the start of a source to decide its format. */
export const SNIFF_BYTES = 64 * 1024;

// torch/serialization.py MAGIC_NUMBER 0x1950a86a20f9469cfc6c, pickled as LONG1 with 10 bytes.
const TORCH_LEGACY_MAGIC = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((byte, index) => head[offset + index] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((character) => character.charCodeAt(0));
}

/**
 * Decides the format from magic bytes and structure, never from the file name (CVE-2025-1889 renamed
 * files). Order matters: unambiguous magics first, then structural checks, then pickle by trial parse.
 */
export function sniffFormat(source: ByteSource): SniffedFormat {
  const head = source.read(0, Math.min(SNIFF_BYTES, source.size));
  if (head.length === 0) return 'unknown';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, ascii('ustar'), 257)) return 'tar';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, ascii('BZh'))) return 'bzip2';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x04, 0x22, 0x4d, 0x18])) return 'lz4';
  if (startsWith(head, [0x93, ...ascii('NUMPY')])) return 'numpy';
  if (startsWith(head, ascii('GGUF'))) return 'gguf';
  if (isHdf5(source, head)) return 'hdf5';
  if (startsWith(head, [0x80, 0x02, ...TORCH_LEGACY_MAGIC], 0)) return 'pytorch-legacy';
  if (looksLikeSafetensors(head, source.size)) return 'safetensors';
  // Pickle before zlib: "(S" (MARK, STRING) also passes the zlib header checksum.
  if (looksLikePickle(head)) return 'pickle';
  if (isZlib(head)) return 'zlib';
  if (startsWith(head, [0x5d, 0x00, 0x00])) return 'lzma';
  const protobuf = looksLikeProtobufModel(head, source.size);
  if (protobuf !== undefined) return protobuf;
  return looksLikeText(head);
}

function isHdf5(source: ByteSource, head: Uint8Array): boolean {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  // HDF5 spec §2.1: the superblock sits at 0, 512, 1024, 2048, … (a user block may precede it).
  for (let offset = 0; offset < Math.min(source.size, 1 << 20); offset = offset === 0 ? 512 : offset * 2) {
    const bytes = offset < head.length ? head.subarray(offset, offset + 8) : source.read(offset, 8);
    if (startsWith(bytes, signature)) return true;
  }
  return false;
}

function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 10) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const length = Number(view.getBigUint64(0, true));
  // The header is JSON starting with '{' (spec allows trailing spaces as padding).
  return length >= 2 && length <= size - 8 && head[8] === 0x7b;
}

function isZlib(head: Uint8Array): boolean {
  if (head.length < 2) return false;
  const method = (head[0] as number) & 0x0f;
  return (
    method === 8 &&
    (head[0] as number) >> 4 <= 7 &&
    ((head[0] as number) * 256 + (head[1] as number)) % 31 === 0
  );
}

const PICKLE_FIRST_OPCODES = new Set(ascii('(]})NcKJIlSVXUdF').concat([0x80, 0x8c, 0x95]));

/** A protocol 2+ header, or a short trial run of the emulator that reaches STOP or the sniff window end. */
function looksLikePickle(head: Uint8Array): boolean {
  const first = head[0] as number;
  if (first === 0x80) return (head[1] ?? 0xff) <= 5;
  if (!PICKLE_FIRST_OPCODES.has(first)) return false;
  const trial = scanPickle({
    source: createBufferSource(head),
    location: 'sniff',
    limits: DEFAULT_LIMITS,
    maxPickles: 1,
    tailIsData: true,
  });
  if (trial.pickles === 1 || trial.globals.length > 0) return true;
  // A pickle longer than the sniffed head parses cleanly up to the cut.
  const cutAtHead = trial.end >= head.length;
  return cutAtHead && trial.findings.every((finding) => finding.rule === 'pickle.truncated');
}

function looksLikeText(head: Uint8Array): SniffedFormat {
  if (head.includes(0)) return 'unknown';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  if (text.includes('\ufffd')) return 'unknown';
  const trimmed = text.replace(/^\ufeff/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'json';
  return 'text';
}
