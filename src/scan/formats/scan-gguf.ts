import type { ByteSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import { EndOfStream, ForwardReader } from '../forward-reader.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { checkChatTemplate } from './chat-template.js';
import type { FormatResult, ScanContext } from './scan-context.js';

// ggml/docs/gguf.md value types and their fixed sizes (8 STRING and 9 ARRAY are variable).
const FIXED_SIZES: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};
const STRING = 8;
const ARRAY = 9;
const MAX_ARRAY_DEPTH = 4;
const MAX_TENSOR_DIMS = 8;

class GgufInvalid extends Error {}

/** Reads a GGUF header and metadata with bounded counts and lengths; checks chat templates and tensor offsets. */
export function scanGguf(source: ByteSource, context: ScanContext): FormatResult {
  const findings: ScanFinding[] = [];
  const reader = new ForwardReader(source, 4);
  const { maxGgufEntries, maxGgufStringBytes } = context.limits;
  let wide = true;
  const count = (): number => (wide ? reader.uint64() : reader.uint32());
  const string = (keep: boolean): string | null => {
    const length = count();
    if (length > maxGgufStringBytes)
      throw new GgufInvalid(`string of ${length} bytes exceeds the ${maxGgufStringBytes}-byte limit`);
    if (!keep) {
      reader.skip(length);
      return null;
    }
    return new TextDecoder().decode(reader.bytes(length));
  };
  const value = (type: number, keep: boolean, depth: number): string | null => {
    if (type === STRING) return string(keep);
    const fixed = FIXED_SIZES[type];
    if (fixed !== undefined) {
      reader.skip(fixed);
      return null;
    }
    if (type !== ARRAY || depth >= MAX_ARRAY_DEPTH) throw new GgufInvalid(`invalid value type ${type}`);
    const elementType = reader.uint32();
    const length = count();
    const elementSize = FIXED_SIZES[elementType];
    if (elementSize !== undefined) {
      reader.skip(length * elementSize);
      return null;
    }
    if (length > maxGgufEntries * 16) throw new GgufInvalid(`array of ${length} elements exceeds the limit`);
    for (let index = 0; index < length; index++) value(elementType, false, depth + 1);
    return null;
  };
  let alignment = 32;
  try {
    const version = reader.uint32();
    if (version < 1 || version > 3) throw new GgufInvalid(`unsupported GGUF version ${version}`);
    wide = version >= 2;
    const tensorCount = count();
    const entryCount = count();
    if (entryCount > maxGgufEntries || tensorCount > maxGgufEntries) {
      throw new GgufInvalid(
        `${entryCount} metadata entries / ${tensorCount} tensors exceed the ${maxGgufEntries} limit`,
      );
    }
    for (let entry = 0; entry < entryCount; entry++) {
      const key = string(true) ?? '';
      const type = reader.uint32();
      const isTemplate = key === 'tokenizer.chat_template' || key.startsWith('tokenizer.chat_template.');
      if (key === 'general.alignment' && type === 4) {
        alignment = reader.uint32();
        continue;
      }
      const text = value(type, isTemplate, 0);
      if (isTemplate && text !== null)
        findings.push(...checkChatTemplate(text, `${context.location}:${printable(key, 80)}`));
    }
    const tensors: Array<{ name: string; offset: number }> = [];
    for (let index = 0; index < tensorCount; index++) {
      const name = string(true) ?? '';
      const dimensions = reader.uint32();
      if (dimensions > MAX_TENSOR_DIMS)
        throw new GgufInvalid(`tensor ${printable(name, 60)} has ${dimensions} dimensions`);
      reader.skip(dimensions * 8 + 4);
      tensors.push({ name, offset: reader.uint64() });
    }
    const dataStart = alignment > 0 ? Math.ceil(reader.position / alignment) * alignment : reader.position;
    const outside = tensors.find((tensor) => dataStart + tensor.offset > source.size);
    if (outside)
      throw new GgufInvalid(`tensor ${printable(outside.name, 60)} starts beyond the end of the file`);
  } catch (error) {
    if (!(error instanceof GgufInvalid) && !(error instanceof EndOfStream)) throw error;
    const message = error instanceof EndOfStream ? 'GGUF header is truncated' : error.message;
    findings.push(
      makeFinding({ rule: RULES.ggufHeader, message, location: `${context.location}@${reader.position}` }),
    );
  }
  return { findings };
}
