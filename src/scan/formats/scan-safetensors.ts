import type { ByteSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import { RULES, type ScanRule } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { codeLikeFragment } from './metadata-text.js';
import type { FormatResult, ScanContext } from './scan-context.js';

// Bits per element for every dtype in the safetensors spec (safetensors/src/tensor.rs Dtype).
const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  F64: 64,
  I64: 64,
  U64: 64,
  C64: 64,
};

interface TensorEntry {
  name: string;
  begin: number;
  end: number;
}

/**
 * Checks a safetensors file (https://github.com/huggingface/safetensors#format) by reading only its
 * header: 8-byte little-endian header length, JSON header, then tensor bytes that are never read.
 */
export function scanSafetensors(source: ByteSource, context: ScanContext): FormatResult {
  const findings: ScanFinding[] = [];
  const fail = (message: string, rule = RULES.safetensorsHeader): FormatResult => {
    findings.push(makeFinding({ rule, message, location: context.location }));
    return { findings };
  };
  const sizeBytes = source.read(0, 8);
  if (sizeBytes.length < 8) return fail('file is shorter than the 8-byte header length');
  const headerLength = Number(new DataView(sizeBytes.buffer, sizeBytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > context.limits.maxJsonBytes)
    return fail(`header length ${headerLength} exceeds the ${context.limits.maxJsonBytes}-byte limit`);
  if (8 + headerLength > source.size)
    return fail(`header length ${headerLength} runs past the end of the file`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(source.read(8, headerLength)));
  } catch {
    return fail('header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    return fail('header is not a JSON object');
  const dataLength = source.size - 8 - headerLength;
  const tensors: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    const where = `${context.location}:${printable(name, 80)}`;
    if (name === '__metadata__') {
      checkMetadata(value, where, findings);
      continue;
    }
    const checked = checkTensor(value, dataLength);
    if (checked.problem !== undefined) {
      const { rule, message } = checked.problem;
      findings.push(
        makeFinding({ rule, message: `tensor ${printable(name, 80)}: ${message}`, location: where }),
      );
    }
    // Tensors with usable offsets take part in the layout check even when their length is wrong.
    if (checked.span !== undefined) tensors.push({ name, ...checked.span });
  }
  checkLayout(tensors, dataLength, context, findings);
  return { findings };
}

interface TensorCheck {
  problem?: { rule: ScanRule; message: string };
  span?: { begin: number; end: number };
}

function checkTensor(value: unknown, dataLength: number): TensorCheck {
  const header = (message: string): TensorCheck => ({ problem: { rule: RULES.safetensorsHeader, message } });
  if (typeof value !== 'object' || value === null) return header('entry is not an object');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || DTYPE_BITS[dtype] === undefined)
    return header(`unknown dtype ${printable(String(dtype), 20)}`);
  if (
    !Array.isArray(shape) ||
    !shape.every((dimension) => Number.isSafeInteger(dimension) && dimension >= 0)
  ) {
    return header('shape is not a list of non-negative integers');
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0)
  ) {
    return header('data_offsets is not a pair of non-negative integers');
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end)
    return {
      problem: { rule: RULES.safetensorsOffsets, message: `data offset begin ${begin} is after end ${end}` },
    };
  if (end > dataLength) {
    return {
      problem: {
        rule: RULES.safetensorsOffsets,
        message: `data offset end ${end} is beyond the ${dataLength} bytes of tensor data`,
      },
    };
  }
  let elements = 1n;
  for (const dimension of shape as number[]) elements *= BigInt(dimension);
  const bits = elements * BigInt(DTYPE_BITS[dtype] as number);
  if (bits % 8n !== 0n || bits / 8n !== BigInt(end - begin)) {
    const message = `dtype × shape needs ${bits / 8n} bytes but data_offsets span ${end - begin}`;
    return { problem: { rule: RULES.safetensorsLength, message }, span: { begin, end } };
  }
  return { span: { begin, end } };
}

function checkLayout(
  tensors: TensorEntry[],
  dataLength: number,
  context: ScanContext,
  findings: ScanFinding[],
): void {
  tensors.sort((left, right) => left.begin - right.begin || left.end - right.end);
  let cursor = 0;
  for (const tensor of tensors) {
    const where = `${context.location}:${printable(tensor.name, 80)}`;
    if (tensor.begin < cursor) {
      findings.push(
        makeFinding({
          rule: RULES.safetensorsOffsets,
          message: `tensor ${printable(tensor.name, 80)} overlaps the previous tensor`,
          location: where,
        }),
      );
    } else if (tensor.begin > cursor) {
      findings.push(
        makeFinding({
          rule: RULES.safetensorsOffsets,
          message: `${tensor.begin - cursor} unused bytes before tensor ${printable(tensor.name, 80)}`,
          location: where,
        }),
      );
    }
    cursor = Math.max(cursor, tensor.end);
  }
  if (cursor < dataLength) {
    findings.push(
      makeFinding({
        rule: RULES.safetensorsOffsets,
        message: `${dataLength - cursor} bytes after the last tensor are not described by the header`,
        location: context.location,
      }),
    );
  }
}

function checkMetadata(value: unknown, where: string, findings: ScanFinding[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    findings.push(
      makeFinding({
        rule: RULES.safetensorsHeader,
        message: '__metadata__ is not an object',
        location: where,
      }),
    );
    return;
  }
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== 'string') {
      findings.push(
        makeFinding({
          rule: RULES.safetensorsHeader,
          message: `__metadata__.${printable(key, 60)} is not a string`,
          location: where,
        }),
      );
      continue;
    }
    const fragment = codeLikeFragment(text);
    if (fragment !== undefined) {
      findings.push(
        makeFinding({
          rule: RULES.safetensorsMetadata,
          message: `__metadata__.${printable(key, 60)} contains "${printable(fragment, 40)}"`,
          location: where,
        }),
      );
    }
  }
}
