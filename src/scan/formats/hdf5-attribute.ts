import type { ByteSource } from '../byte-source.js';

/** Options of `readHdf5StringAttributes`. */
export interface ReadHdf5AttributeOptions {
  /** Attribute name as stored (ASCII). */
  name: string;
  /** Bytes of the file searched for the attribute message. */
  searchBytes: number;
  /** Longest value read. */
  maxValueBytes: number;
  /** Occurrences of the name examined. */
  maxHits: number;
}

/** One attribute value found, with the byte range it was read from. */
export interface Hdf5StringValue {
  text: string;
  start: number;
  end: number;
}

/** What the attribute search found. */
export interface Hdf5AttributeResult {
  values: Hdf5StringValue[];
  /** Offsets of attribute messages with this name whose value could not be read. */
  unreadable: number[];
}

interface Layout {
  /** Size of file addresses and lengths (superblock "Size of Offsets" / "Size of Lengths"). */
  offsetSize: number;
  lengthSize: number;
  baseAddress: number;
}

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHUNK_BYTES = 4 * 1024 * 1024;
const MAX_HEAP_OBJECTS = 65_536;

function uint(bytes: Uint8Array, offset: number, size: number): number {
  let value = 0;
  for (let index = size - 1; index >= 0; index--) value = value * 256 + (bytes[offset + index] ?? 0);
  return value;
}

function pad8(length: number): number {
  return Math.ceil(length / 8) * 8;
}

/**
 * Superblock (HDF5 File Format Specification 3.0, §2.2): at 0, 512, 1024, … Version 0/1 keep the sizes
 * at bytes 13 and 14 and the base address at 24; versions 2/3 at bytes 9 and 10 and the base at 12.
 */
function readLayout(source: ByteSource): Layout | null {
  for (let at = 0; at + 64 <= source.size && at <= 64 * 1024 * 1024; at = at === 0 ? 512 : at * 2) {
    const head = source.read(at, 64);
    if (!SIGNATURE.equals(head.subarray(0, 8))) continue;
    const version = head[8] as number;
    const sizes = version <= 1 ? 13 : 9;
    const offsetSize = head[sizes] as number;
    const lengthSize = head[sizes + 1] as number;
    if (![2, 4, 8].includes(offsetSize) || ![2, 4, 8].includes(lengthSize)) return null;
    const base = uint(head, version <= 1 ? 24 : 12, offsetSize);
    return { offsetSize, lengthSize, baseAddress: base <= source.size ? base : at };
  }
  return null;
}

/**
 * Reads the value of string attributes called `name` structurally, wherever their attribute message
 * lies (an object header, or a fractal heap block for dense attribute storage): the message is found
 * by its name and decoded per the Attribute Message (§IV.A.2.m, versions 1–3). Fixed-length strings are
 * read in place; variable-length strings (what h5py writes for a Python str) are followed into their
 * Global Heap collection (§III.E). The value is then whole, whatever its JSON looks like, so a
 * model_config is checked even when it does not start the way Keras writes it.
 */
export function readHdf5StringAttributes(
  source: ByteSource,
  options: ReadHdf5AttributeOptions,
): Hdf5AttributeResult {
  const result: Hdf5AttributeResult = { values: [], unreadable: [] };
  const layout = readLayout(source);
  if (layout === null) return result;
  const needle = Buffer.from(`${options.name}\u0000`, 'latin1');
  const end = Math.min(source.size, options.searchBytes);
  let hits = 0;
  for (let offset = 0; offset < end && hits < options.maxHits; offset += CHUNK_BYTES - needle.length) {
    const chunk = Buffer.from(source.read(offset, Math.min(CHUNK_BYTES, end - offset)));
    for (
      let index = chunk.indexOf(needle);
      index >= 0 && hits < options.maxHits;
      index = chunk.indexOf(needle, index + 1)
    ) {
      const nameStart = offset + index;
      const message = attributeAt({ source, layout, nameStart, nameSize: needle.length });
      if (message === null) continue;
      hits++;
      const value =
        message === 'shared' ? null : readValue({ source, layout, message, maxBytes: options.maxValueBytes });
      if (value === null) result.unreadable.push(nameStart);
      else result.values.push(value);
    }
    if (offset + CHUNK_BYTES >= end) break;
  }
  return result;
}

interface AttributeMessage {
  datatype: number;
  datatypeSize: number;
  dataspace: number;
  data: number;
}

/**
 * The attribute message whose name starts at `nameStart`; `shared` when its datatype or dataspace is a
 * shared message (not followed); null when the bytes around the name are not an attribute message.
 */
function attributeAt(options: {
  source: ByteSource;
  layout: Layout;
  nameStart: number;
  nameSize: number;
}): AttributeMessage | 'shared' | null {
  const { source, nameStart, nameSize } = options;
  for (const [version, headerSize] of [
    [1, 8],
    [2, 8],
    [3, 9],
  ] as const) {
    if (nameStart < headerSize) continue;
    const header = source.read(nameStart - headerSize, headerSize);
    if (header[0] !== version || uint(header, 2, 2) !== nameSize) continue;
    // Version 1 has a reserved byte; versions 2/3 flag shared datatype/dataspace (not followed here).
    if (version === 1 && header[1] !== 0) continue;
    if (version > 1 && ((header[1] as number) & 0x03) !== 0) return 'shared';
    const datatypeSize = uint(header, 4, 2);
    const dataspaceSize = uint(header, 6, 2);
    if (datatypeSize < 8 || dataspaceSize < 4) continue;
    const padded = version === 1;
    const datatype = nameStart + (padded ? pad8(nameSize) : nameSize);
    const dataspace = datatype + (padded ? pad8(datatypeSize) : datatypeSize);
    const data = dataspace + (padded ? pad8(dataspaceSize) : dataspaceSize);
    return { datatype, datatypeSize, dataspace, data };
  }
  return null;
}

/** Elements of a dataspace (§IV.A.2.b, versions 1 and 2); null when not understood. */
function elementCount(source: ByteSource, layout: Layout, at: number): number | null {
  const head = source.read(at, 8);
  const version = head[0];
  const rank = head[1] as number;
  if ((version !== 1 && version !== 2) || rank > 32) return null;
  if (version === 2 && head[3] === 2) return 0; // null dataspace
  const dimensions = source.read(at + (version === 1 ? 8 : 4), rank * layout.lengthSize);
  let count = 1;
  for (let index = 0; index < rank; index++)
    count *= uint(dimensions, index * layout.lengthSize, layout.lengthSize);
  return count;
}

function decodeText(bytes: Uint8Array): string {
  const terminator = bytes.indexOf(0);
  return new TextDecoder().decode(terminator >= 0 ? bytes.subarray(0, terminator) : bytes);
}

/** The string value of one attribute: scalar (or one-element) fixed-length or variable-length string. */
function readValue(options: {
  source: ByteSource;
  layout: Layout;
  message: AttributeMessage;
  maxBytes: number;
}): Hdf5StringValue | null {
  const { source, layout, message, maxBytes } = options;
  const datatype = source.read(message.datatype, 8);
  const typeClass = (datatype[0] as number) & 0x0f;
  const size = uint(datatype, 4, 4);
  if (elementCount(source, layout, message.dataspace) !== 1) return null;
  if (typeClass === 3) {
    // Datatype class 3: fixed-length string of `size` bytes, stored in the message itself.
    if (size > maxBytes || message.data + size > source.size) return null;
    const text = decodeText(source.read(message.data, size));
    return { text, start: message.data, end: message.data + size };
  }
  // Datatype class 9 with type 1 in its bit field: a variable-length string.
  if (typeClass !== 9 || ((datatype[1] as number) & 0x0f) !== 1) return null;
  const reference = source.read(message.data, 4 + layout.offsetSize + 4);
  const length = uint(reference, 0, 4);
  const collection = uint(reference, 4, layout.offsetSize) + layout.baseAddress;
  const objectIndex = uint(reference, 4 + layout.offsetSize, 4);
  if (length > maxBytes) return null;
  return globalHeapObject({ source, layout, collection, objectIndex, length });
}

/**
 * Object `objectIndex` of the Global Heap collection at `collection` (§III.E): "GCOL", version 1, three
 * reserved bytes, the collection size, then objects (index 2 bytes, reference count 2, reserved 4,
 * size, data padded to 8 bytes); index 0 starts the free space.
 */
function globalHeapObject(options: {
  source: ByteSource;
  layout: Layout;
  collection: number;
  objectIndex: number;
  length: number;
}): Hdf5StringValue | null {
  const { source, layout, collection, objectIndex, length } = options;
  const head = source.read(collection, 8 + layout.lengthSize);
  if (Buffer.from(head.subarray(0, 4)).toString('latin1') !== 'GCOL' || head[4] !== 1) return null;
  const collectionEnd = Math.min(source.size, collection + uint(head, 8, layout.lengthSize));
  let cursor = collection + 8 + layout.lengthSize;
  for (
    let visited = 0;
    visited < MAX_HEAP_OBJECTS && cursor + 8 + layout.lengthSize <= collectionEnd;
    visited++
  ) {
    const object = source.read(cursor, 8 + layout.lengthSize);
    const index = uint(object, 0, 2);
    const size = uint(object, 8, layout.lengthSize);
    const data = cursor + 8 + layout.lengthSize;
    if (index === 0 || data + size > collectionEnd) return null;
    if (index === objectIndex) {
      const taken = Math.min(size, length);
      return { text: decodeText(source.read(data, taken)), start: data, end: data + taken };
    }
    cursor = data + pad8(size);
  }
  return null;
}
