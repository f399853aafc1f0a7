import { type ByteSource, createSliceSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import { scanPickle } from '../pickle/scan-pickle.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import type { FormatResult, ScanContext } from './scan-context.js';

const MAX_HEADER_BYTES = 1024 * 1024;

/** Parsed `.npy` header fields that matter to the scan. */
export interface NpyHeader {
  descr: string;
  shape: number[];
  dataOffset: number;
  hasObject: boolean;
}

/**
 * Parses the `.npy` header (numpy/lib/format.py, NEP 1): magic, version, little-endian header length
 * (2 bytes in v1, 4 in v2/v3), then a Python dict literal. Returns a message when it is invalid.
 */
export function parseNpyHeader(source: ByteSource): NpyHeader | string {
  const prefix = source.read(0, 12);
  if (prefix.length < 10) return 'file is shorter than the .npy preamble';
  const major = prefix[6] as number;
  if (major < 1 || major > 3) return `unsupported .npy version ${major}`;
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const headerLength =
    major === 1 ? view.getUint16(8, true) : prefix.length >= 12 ? view.getUint32(8, true) : -1;
  const headerStart = major === 1 ? 10 : 12;
  if (headerLength < 0 || headerLength > MAX_HEADER_BYTES || headerStart + headerLength > source.size) {
    return 'header length is out of range';
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    source.read(headerStart, headerLength),
  );
  if (!text.trimStart().startsWith('{')) return 'header is not a dict literal';
  const shapeMatch = /'shape'\s{0,8}:\s{0,8}\(([0-9,\s]{0,4096})\)/.exec(text);
  const descrMatch = /'descr'\s{0,8}:\s{0,8}'([^']{1,64})'/.exec(text);
  const structured = /'descr'\s{0,8}:\s{0,8}\[/.test(text);
  if (!shapeMatch || (!descrMatch && !structured)) return 'header lacks descr or shape';
  const shape = (shapeMatch[1] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  const descr = descrMatch?.[1] ?? 'structured';
  // Object fields, alone or inside structured dtypes, are written with pickle (format.write_array).
  const hasObject = /^[|<>=]?O\d{0,2}$/.test(descr) || (structured && /'[|<>=]?O\d{0,2}'/.test(text));
  return { descr, shape, dataOffset: headerStart + headerLength, hasObject };
}

/** Checks a `.npy` file; object arrays are pickles and go through the pickle emulator. */
export function scanNumpy(source: ByteSource, context: ScanContext): FormatResult {
  const findings: ScanFinding[] = [];
  const header = parseNpyHeader(source);
  if (typeof header === 'string') {
    findings.push(makeFinding({ rule: RULES.numpyHeader, message: header, location: context.location }));
    return { findings };
  }
  if (!header.hasObject) return { findings };
  findings.push(
    makeFinding({
      rule: RULES.numpyObject,
      message: `dtype ${printable(header.descr, 40)} stores Python objects as a pickle (needs allow_pickle=True)`,
      location: context.location,
    }),
  );
  const payload = createSliceSource({
    source,
    offset: header.dataOffset,
    length: source.size - header.dataOffset,
  });
  const result = scanPickle({
    source: payload,
    location: `${context.location}@pickle`,
    limits: context.limits,
    maxPickles: 1,
  });
  findings.push(...result.findings);
  return { findings };
}
