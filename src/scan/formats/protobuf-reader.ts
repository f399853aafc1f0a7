import type { ByteSource } from '../byte-source.js';

/**
 * A minimal protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/). Hand
 * written rather than a protobuf library because the scanner must stream: it walks a multi-gigabyte
 * ONNX or SavedModel file field by field, descends only into the messages a check needs and skips
 * raw tensor payloads by offset, so weights are never read or decoded.
 */
export interface ProtoField {
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: number;
  /** Varint value (wire type 0). */
  value: number;
  /** Absolute offset and length of the payload (wire type 2). */
  offset: number;
  length: number;
}

/** Raised on malformed wire data. */
export class ProtobufError extends Error {}

const WINDOW_BYTES = 64 * 1024;

/** Reads fields of one message between `start` and `end` of a source. */
export class ProtoReader {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private position: number;

  constructor(
    private readonly source: ByteSource,
    start: number,
    private readonly end: number,
  ) {
    this.position = start;
  }

  private byte(): number {
    let index = this.position - this.windowStart;
    if (index < 0 || index >= this.window.length) {
      if (this.position >= this.end) throw new ProtobufError('message ends inside a field');
      this.window = this.source.read(this.position, Math.min(WINDOW_BYTES, this.end - this.position));
      this.windowStart = this.position;
      index = 0;
      if (this.window.length === 0) throw new ProtobufError('file ends inside a field');
    }
    this.position++;
    return this.window[index] as number;
  }

  private varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let index = 0; index < 10; index++) {
      const byte = this.byte();
      // Values above 2^53 lose precision; no field this scanner reads needs them exactly.
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result;
      multiplier *= 128;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** The next field, or null at the end of the message. Payloads are skipped, not read. */
  next(): ProtoField | null {
    if (this.position >= this.end) return null;
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new ProtobufError('field number 0');
    switch (wireType) {
      case 0:
        return { field, wireType, value: this.varint(), offset: this.position, length: 0 };
      case 1:
        return this.fixed(field, wireType, 8);
      case 5:
        return this.fixed(field, wireType, 4);
      case 2: {
        const length = this.varint();
        const offset = this.position;
        if (offset + length > this.end) throw new ProtobufError(`field ${field} runs past its message`);
        this.position += length;
        return { field, wireType, value: 0, offset, length };
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType} (field ${field})`);
    }
  }

  private fixed(field: number, wireType: number, size: number): ProtoField {
    const offset = this.position;
    if (offset + size > this.end) throw new ProtobufError('fixed field runs past its message');
    this.position += size;
    return { field, wireType, value: 0, offset, length: size };
  }

  /** A reader over a length-delimited field's payload (a sub-message). */
  child(field: ProtoField): ProtoReader {
    return new ProtoReader(this.source, field.offset, field.offset + field.length);
  }

  /** The payload of a length-delimited field as UTF-8 text, up to `maxBytes`. */
  text(field: ProtoField, maxBytes = 4096): string {
    const bytes = this.source.read(field.offset, Math.min(field.length, maxBytes));
    return new TextDecoder().decode(bytes);
  }
}
