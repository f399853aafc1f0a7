/**
 * Writes the parts of an HDF5 file that hold a string attribute (HDF5 File Format Specification 3.0):
 * a superblock, one attribute message and, for variable-length strings, a Global Heap collection.
 * Enough for the scanner, which finds the message by its name; tests build samples instead of
 * shipping binary fixtures.
 */
export function buildHdf5Attribute(options: {
  name: string;
  value: string;
  storage: 'fixed' | 'variable';
  messageVersion?: 1 | 2 | 3;
  superblockVersion?: 0 | 2;
  /** Global heap address the variable-length reference points to (default: the real collection). */
  heapAddress?: number;
}): Uint8Array {
  const messageVersion = options.messageVersion ?? 1;
  const heapAt = 4096;
  const file = Buffer.alloc(heapAt + 8192 + Buffer.byteLength(options.value) * 2);
  // Superblock: signature, version, then sizes of offsets and lengths (8 bytes each).
  Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]).copy(file, 0);
  file[8] = options.superblockVersion ?? 0;
  if ((options.superblockVersion ?? 0) === 0) file.set([8, 8], 13);
  else file.set([8, 8], 9);
  const value = Buffer.from(options.value, 'utf8');
  const name = Buffer.from(`${options.name}\u0000`, 'latin1');
  const datatype =
    options.storage === 'fixed'
      ? Buffer.from([0x13, 0x00, 0, 0, ...u32(value.length)])
      : // Class 9 (variable length), type string, UTF-8; base type: one-byte string.
        Buffer.from([0x19, 0x01, 0x01, 0, ...u32(16), 0x13, 0, 0, 0, ...u32(1)]);
  const dataspace = messageVersion === 1 ? Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]) : Buffer.from([2, 0, 0, 0]);
  const data =
    options.storage === 'fixed'
      ? value
      : Buffer.from([...u32(value.length), ...u64(options.heapAddress ?? heapAt), ...u32(2)]);
  const header = Buffer.from([
    messageVersion,
    0,
    ...u16(name.length),
    ...u16(datatype.length),
    ...u16(dataspace.length),
    ...(messageVersion === 3 ? [0] : []),
  ]);
  const pad = (bytes: Buffer): Buffer =>
    messageVersion === 1 ? Buffer.concat([bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8)]) : bytes;
  Buffer.concat([header, pad(name), pad(datatype), pad(dataspace), data]).copy(file, 512);
  if (options.storage === 'variable') {
    // Global heap collection: a decoy object 1, the value as object 2, then free space (index 0).
    const decoy = Buffer.from('{"class_name": "Decoy"');
    const objects = Buffer.concat([heapObject(1, decoy), heapObject(2, value)]);
    const size = 16 + objects.length + 16;
    Buffer.concat([Buffer.from('GCOL'), Buffer.from([1, 0, 0, 0]), Buffer.from(u64(size)), objects]).copy(
      file,
      heapAt,
    );
  }
  return new Uint8Array(file);
}

function heapObject(index: number, data: Buffer): Buffer {
  const padded = Buffer.concat([data, Buffer.alloc((8 - (data.length % 8)) % 8)]);
  return Buffer.concat([Buffer.from([...u16(index), 1, 0, 0, 0, 0, 0, ...u64(data.length)]), padded]);
}

function u16(value: number): number[] {
  return [value & 0xff, value >> 8];
}

function u32(value: number): number[] {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return [...buffer];
}

function u64(value: number): number[] {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return [...buffer];
}
