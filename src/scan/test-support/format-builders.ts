/** Builders for safetensors, NumPy, GGUF and protobuf (ONNX / SavedModel) test samples. */

/** A safetensors file: 8-byte header length, JSON header, tensor bytes (zeros). */
export function buildSafetensors(header: Record<string, unknown>, dataLength?: number): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(json.length));
  let length = dataLength;
  if (length === undefined) {
    length = 0;
    for (const [name, value] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const offsets = (value as { data_offsets: [number, number] }).data_offsets;
      length = Math.max(length, offsets[1]);
    }
  }
  return new Uint8Array(Buffer.concat([size, json, Buffer.alloc(length)]));
}

/** A version 1.0 `.npy` file with the given descr, shape and payload. */
export function buildNpy(descr: string, shape: readonly number[], payload: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64);
  header += '\n';
  const prefix = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  return new Uint8Array(Buffer.concat([prefix, Buffer.from(header, 'latin1'), payload]));
}

/** A GGUF v3 file with string metadata and no tensors. */
export function buildGguf(metadata: Record<string, string>): Uint8Array {
  const parts: Buffer[] = [Buffer.from('GGUF')];
  const u32 = (value: number): Buffer => {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    return buffer;
  };
  const u64 = (value: number): Buffer => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    return buffer;
  };
  const text = (value: string): Buffer => {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([u64(bytes.length), bytes]);
  };
  parts.push(u32(3), u64(0), u64(Object.keys(metadata).length));
  for (const [key, value] of Object.entries(metadata)) parts.push(text(key), u32(8), text(value));
  return new Uint8Array(Buffer.concat(parts));
}

/** Protobuf wire-format encoder for hand-built ONNX and SavedModel messages. */
export const proto = {
  varint(value: number): number[] {
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    bytes.push(rest);
    return bytes;
  },
  uint(field: number, value: number): number[] {
    return [...proto.varint(field * 8), ...proto.varint(value)];
  },
  bytes(field: number, payload: readonly number[] | Uint8Array): number[] {
    return [...proto.varint(field * 8 + 2), ...proto.varint(payload.length), ...payload];
  },
  text(field: number, value: string): number[] {
    return proto.bytes(field, [...Buffer.from(value, 'utf8')]);
  },
};

/** An ONNX ModelProto with one initializer whose external data points at `location`, and one node. */
export function buildOnnx(options: {
  location?: string;
  nodeDomain?: string;
  rawBytes?: number;
}): Uint8Array {
  const tensorFields = [...proto.uint(1, 4), ...proto.uint(2, 1), ...proto.text(8, 'weight')];
  if (options.rawBytes !== undefined) tensorFields.push(...proto.bytes(9, new Uint8Array(options.rawBytes)));
  if (options.location !== undefined) {
    tensorFields.push(...proto.bytes(13, [...proto.text(1, 'location'), ...proto.text(2, options.location)]));
    tensorFields.push(...proto.uint(14, 1));
  }
  const node = [
    ...proto.text(1, 'x'),
    ...proto.text(2, 'y'),
    ...proto.text(4, 'Relu'),
    ...proto.text(7, options.nodeDomain ?? ''),
  ];
  const graph = [...proto.bytes(1, node), ...proto.text(2, 'main'), ...proto.bytes(5, tensorFields)];
  const model = [
    ...proto.uint(1, 8),
    ...proto.text(2, 'aegis-test'),
    ...proto.bytes(7, graph),
    ...proto.bytes(8, [...proto.text(1, ''), ...proto.uint(2, 17)]),
  ];
  return Uint8Array.from(model);
}

/** A SavedModel with one meta graph whose graph holds nodes with the given ops. */
export function buildSavedModel(ops: readonly string[]): Uint8Array {
  const nodes = ops.flatMap((op, index) =>
    proto.bytes(1, [...proto.text(1, `node${index}`), ...proto.text(2, op)]),
  );
  const metaGraph = proto.bytes(2, nodes);
  return Uint8Array.from([...proto.uint(1, 1), ...proto.bytes(2, metaGraph)]);
}
