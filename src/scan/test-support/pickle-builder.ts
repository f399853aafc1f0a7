/**
 * Writes pickle bytes opcode by opcode (CPython Lib/pickletools.py), so tests build benign and hostile
 * samples themselves instead of shipping binary fixtures.
 */
export class PickleBuilder {
  private readonly chunks: number[] = [];
  private memoCount = 0;

  /** `header: false` leaves out PROTO, for fragments appended to another stream. */
  constructor(
    readonly protocol = 2,
    options: { header?: boolean } = {},
  ) {
    if (protocol >= 2 && options.header !== false) this.op(0x80, protocol);
  }

  /** Appends raw bytes. */
  raw(...bytes: number[]): this {
    this.chunks.push(...bytes);
    return this;
  }

  private op(code: number, ...operands: number[]): this {
    return this.raw(code, ...operands);
  }

  private ascii(text: string): number[] {
    return [...Buffer.from(text, 'latin1')];
  }

  private u32(value: number): number[] {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    return [...buffer];
  }

  private u64(value: number): number[] {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    return [...buffer];
  }

  frame(length: number): this {
    return this.op(0x95, ...this.u64(length));
  }

  mark(): this {
    return this.op(0x28);
  }

  stop(): this {
    return this.op(0x2e);
  }

  none(): this {
    return this.op(0x4e);
  }

  bool(value: boolean): this {
    return this.protocol >= 2
      ? this.op(value ? 0x88 : 0x89)
      : this.raw(...this.ascii(value ? 'I01\n' : 'I00\n'));
  }

  int(value: number): this {
    if (this.protocol === 0) return this.raw(...this.ascii(`I${value}\n`));
    if (value >= 0 && value < 256) return this.op(0x4b, value);
    if (value >= 0 && value < 65536) return this.op(0x4d, value & 0xff, value >> 8);
    const buffer = Buffer.alloc(4);
    buffer.writeInt32LE(value);
    return this.op(0x4a, ...buffer);
  }

  float(value: number): this {
    const buffer = Buffer.alloc(8);
    buffer.writeDoubleBE(value);
    return this.op(0x47, ...buffer);
  }

  /** A text value in the encoding the protocol would use. */
  unicode(text: string): this {
    const bytes = [...Buffer.from(text, 'utf8')];
    if (this.protocol === 0) return this.raw(0x56, ...this.ascii(`${text}\n`));
    if (this.protocol >= 4 && bytes.length < 256) return this.op(0x8c, bytes.length, ...bytes);
    return this.op(0x58, ...this.u32(bytes.length), ...bytes);
  }

  /** Protocol 0 STRING with repr quoting. */
  quotedString(text: string): this {
    const escaped = text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n');
    return this.raw(0x53, ...this.ascii(`'${escaped}'\n`));
  }

  shortBinString(text: string): this {
    const bytes = this.ascii(text);
    return this.op(0x55, bytes.length, ...bytes);
  }

  bytes(data: Uint8Array): this {
    if (data.length < 256) return this.op(0x43, data.length, ...data);
    return this.op(0x42, ...this.u32(data.length), ...data);
  }

  /** BINBYTES8 header claiming `length` bytes, followed by `data` (may be shorter: truncation tests). */
  bytes8(length: number, data: Uint8Array = new Uint8Array(length)): this {
    return this.op(0x8e, ...this.u64(length), ...data);
  }

  global(module: string, name: string): this {
    return this.raw(0x63, ...this.ascii(`${module}\n${name}\n`));
  }

  stackGlobal(module: string, name: string): this {
    return this.unicode(module).unicode(name).op(0x93);
  }

  stackGlobalOp(): this {
    return this.op(0x93);
  }

  inst(module: string, name: string): this {
    return this.raw(0x69, ...this.ascii(`${module}\n${name}\n`));
  }

  obj(): this {
    return this.op(0x6f);
  }

  reduce(): this {
    return this.op(0x52);
  }

  build(): this {
    return this.op(0x62);
  }

  newobj(): this {
    return this.op(0x81);
  }

  newobjEx(): this {
    return this.op(0x92);
  }

  ext(code: number): this {
    if (code < 256) return this.op(0x82, code);
    if (code < 65536) return this.op(0x83, code & 0xff, code >> 8);
    return this.op(0x84, ...this.u32(code));
  }

  tuple(): this {
    return this.op(0x74);
  }

  tupleN(count: 0 | 1 | 2 | 3): this {
    return this.op([0x29, 0x85, 0x86, 0x87][count] as number);
  }

  emptyDict(): this {
    return this.op(0x7d);
  }

  emptyList(): this {
    return this.op(0x5d);
  }

  setitem(): this {
    return this.op(0x73);
  }

  setitems(): this {
    return this.op(0x75);
  }

  append(): this {
    return this.op(0x61);
  }

  appends(): this {
    return this.op(0x65);
  }

  pop(): this {
    return this.op(0x30);
  }

  dup(): this {
    return this.op(0x32);
  }

  binpersid(): this {
    return this.op(0x51);
  }

  /** Stores the stack top in the memo and returns its index through `into`. */
  put(index?: number): this {
    const slot = index ?? this.memoCount;
    this.memoCount = Math.max(this.memoCount, slot + 1);
    if (this.protocol === 0) return this.raw(...this.ascii(`p${slot}\n`));
    if (this.protocol >= 4 && index === undefined) return this.op(0x94);
    return slot < 256 ? this.op(0x71, slot) : this.op(0x72, ...this.u32(slot));
  }

  get(index: number): this {
    if (this.protocol === 0) return this.raw(...this.ascii(`g${index}\n`));
    return index < 256 ? this.op(0x68, index) : this.op(0x6a, ...this.u32(index));
  }

  /** `module.name(*textArgs)` via GLOBAL (or STACK_GLOBAL from protocol 4) and REDUCE. */
  call(module: string, name: string, ...textArgs: string[]): this {
    if (this.protocol >= 4) this.stackGlobal(module, name);
    else this.global(module, name);
    this.mark();
    for (const text of textArgs) this.unicode(text);
    return this.tuple().reduce();
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** `module.name(*args)` as a complete pickle of the given protocol. */
export function callPickle(options: {
  module: string;
  name: string;
  args?: string[];
  protocol?: number;
}): Uint8Array {
  return new PickleBuilder(options.protocol ?? 2)
    .call(options.module, options.name, ...(options.args ?? []))
    .stop()
    .toBytes();
}

/** A state dict as `torch.save` writes into `data.pkl` (protocol 2, persistent storage ids). */
export function torchStateDictPickle(
  tensorNames: readonly string[] = ['layer.weight', 'layer.bias'],
): Uint8Array {
  const builder = new PickleBuilder(2);
  builder.global('collections', 'OrderedDict').put().tupleN(0).reduce().put();
  builder.mark();
  tensorNames.forEach((name, index) => {
    builder.unicode(name);
    builder.global('torch._utils', '_rebuild_tensor_v2');
    builder.mark();
    builder
      .mark()
      .unicode('storage')
      .global('torch', 'FloatStorage')
      .unicode(String(index))
      .unicode('cpu')
      .int(6)
      .tuple();
    builder.binpersid();
    builder.int(0).int(2).int(3).tupleN(2).int(3).int(1).tupleN(2).bool(false);
    builder.global('collections', 'OrderedDict').tupleN(0).reduce();
    builder.tuple().reduce();
  });
  builder.setitems();
  builder.emptyDict().unicode('version').int(1).setitem().build();
  return builder.stop().toBytes();
}

/** A NumPy array as pickle.dumps(np.arange(3.0), protocol=2) writes it, with the _codecs bytes idiom. */
export function numpyArrayPickle(): Uint8Array {
  const builder = new PickleBuilder(2);
  builder.global('numpy.core.multiarray', '_reconstruct').put();
  builder.global('numpy', 'ndarray').put().int(0).tupleN(1);
  builder.global('_codecs', 'encode').put().unicode('b').unicode('latin1').tupleN(2).reduce();
  builder.tupleN(3).reduce().put();
  builder.mark().int(1).int(3).tupleN(1);
  builder.global('numpy', 'dtype').unicode('f8').bool(false).bool(true).tupleN(3).reduce();
  builder.mark().int(3).unicode('<').none().none().none().int(-1).int(-1).int(0).tuple().build();
  builder.bool(false);
  builder.global('_codecs', 'encode').unicode('\u0000'.repeat(24)).unicode('latin1').tupleN(2).reduce();
  builder.tuple().build();
  return builder.stop().toBytes();
}
