import { type ByteSource, createBufferSource } from '../byte-source.js';
import { ProtoReader } from './protobuf-reader.js';

// onnx/onnx.proto3 ModelProto field numbers, and tensorflow/core/protobuf/saved_model.proto.
const ONNX_MODEL_FIELDS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 14, 20, 25]);
const ONNX_LENGTH_FIELDS = new Set([2, 3, 4, 6, 7, 8, 14, 20, 25]);

function walk(
  reader: ProtoReader,
  headLength: number,
  visit: (field: number, wireType: number) => void,
): number {
  let fields = 0;
  try {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      visit(field.field, field.wireType);
      fields++;
      if (field.offset >= headLength || fields > 64) break;
    }
  } catch {
    // A field cut by the end of the sniffed head is expected; callers judge by what was seen.
    return fields < 2 ? -1 : fields;
  }
  return fields;
}

/**
 * Protobuf has no magic number, so ONNX and SavedModel files are recognised by the shape of their
 * top-level fields in the first bytes: field numbers and wire types the schema allows, lengths that fit.
 */
export function looksLikeProtobufModel(
  head: Uint8Array,
  size: number,
): 'onnx' | 'tensorflow-savedmodel' | undefined {
  if (head[0] !== 0x08 && head[0] !== 0x12) return undefined;
  // Lengths may point past the sniffed head; a view reporting the real size lets the walk accept them.
  const padded = createBufferSource(head);
  const source: ByteSource = { size, read: (offset, length) => padded.read(offset, length), bytesRead: 0 };
  const seen = new Set<number>();
  let wrongWire = false;
  const fields = walk(new ProtoReader(source, 0, size), head.length, (field, wireType) => {
    seen.add(field);
    if (ONNX_LENGTH_FIELDS.has(field) ? wireType !== 2 : wireType !== 0) wrongWire = true;
  });
  if (fields < 1) return undefined;
  if (
    [...seen].every((number) => number === 1 || number === 2) &&
    seen.has(2) &&
    isMetaGraph(source, head.length)
  ) {
    return 'tensorflow-savedmodel';
  }
  const isOnnx =
    !wrongWire && [...seen].every((number) => ONNX_MODEL_FIELDS.has(number)) && (seen.has(7) || seen.has(8));
  return isOnnx && head[0] === 0x08 ? 'onnx' : undefined;
}

/** The first SavedModel.meta_graphs entry parses as a MetaGraphDef (fields 1-9, all messages). */
function isMetaGraph(source: ByteSource, headLength: number): boolean {
  const root = new ProtoReader(source, 0, source.size);
  try {
    for (let field = root.next(); field !== null; field = root.next()) {
      if (field.field !== 2) continue;
      let valid = true;
      const fields = walk(root.child(field), headLength, (number, wireType) => {
        if (number > 9 || wireType !== 2) valid = false;
      });
      return valid && fields !== 0 && fields !== -1;
    }
  } catch {
    return false;
  }
  return false;
}
