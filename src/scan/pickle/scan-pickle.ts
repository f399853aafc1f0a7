import { type ByteSource, createBufferSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import { EndOfStream, ForwardReader } from '../forward-reader.js';
import type { ScanLimits } from '../limits.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { classifyGlobal, type GlobalClass, isDottedName, normalizeGlobal } from './classify-global.js';
import { isMeaningfulText } from './meaningful-text.js';
import {
  BYTES,
  CONTAINER,
  EMPTY_TUPLE,
  kindOf,
  LONG_STRING,
  mustKeepTuple,
  OTHER_TEXT,
  type PickleValue,
  SCALAR,
  setEntry,
  sharedTupleStartingWith,
  tupleOf,
  UNKNOWN,
} from './pickle-value.js';
import { decodeQuotedString, decodeRawUnicodeEscape } from './text-decoders.js';

export type { PickleValue } from './pickle-value.js';

const MAX_LINE = 64 * 1024;
// INT, LONG and FLOAT operands (decimal, Python 2 long suffix, float syntax incl. inf/nan).
export const NUMBER_OPERAND =
  /^[-+]?(?:[0-9]{1,5000}L?|(?:[0-9]{1,400}(?:\.[0-9]{0,400})?|\.[0-9]{1,400})(?:[eE][-+]?[0-9]{1,5})?|inf|nan|infinity)$/i;
const MAX_NESTED_DEPTH = 3;

/** Options of `scanPickle`. */
export interface ScanPickleOptions {
  source: ByteSource;
  /** Where the stream starts and ends inside the source. */
  start?: number;
  end?: number;
  /** Location prefix for findings (archive member path, file name). */
  location: string;
  limits: ScanLimits;
  /** Pickles to read back to back (legacy torch files hold exactly five, then raw tensor bytes). */
  maxPickles?: number;
  /** When true, bytes after `maxPickles` pickles are data, not reported. */
  tailIsData?: boolean;
  depth?: number;
}

/** What the emulator found. */
export interface ScanPickleResult {
  findings: ScanFinding[];
  /** Pickles that ended with STOP. */
  pickles: number;
  /** Offset where reading stopped. */
  end: number;
  /** Every global the stream imports, fully qualified. */
  globals: string[];
  /** Highest protocol announced by PROTO. */
  protocol: number;
}

class PickleInvalid extends Error {}

/** Emulates the unpickler over a stream without executing anything and reports what it would import and call. */
export function scanPickle(options: ScanPickleOptions): ScanPickleResult {
  const emulator = new PickleEmulator(options);
  return emulator.run();
}

class PickleEmulator {
  private readonly reader: ForwardReader;
  private readonly findings: ScanFinding[] = [];
  private readonly reported = new Set<string>();
  private readonly globals = new Map<string, GlobalClass>();
  private readonly partialUses = new Map<string, number>();
  private readonly globalValues = new Map<string, PickleValue>();
  private readonly callResults = new Map<PickleValue, PickleValue>();
  /** Set once the stream imports joblib's NumpyArrayWrapper: raw array bytes follow its BUILD. */
  private tracksArrays = false;
  private readonly maxStackDepth: number;
  // The unpickler's stack and metastack as one flat array: `depth` values, the current MARK frame
  // starting at `frameStart`, and the starts of the enclosing frames in `frameStarts`. MARK and the
  // opcodes that pop a frame then move indexes instead of allocating an array per frame.
  private readonly values: PickleValue[] = [];
  private depth = 0;
  private frameStart = 0;
  private readonly frameStarts: number[] = [];
  private readonly maxMemoEntries: number;
  // Picklers number memo entries 0, 1, 2, …: a dense array holds those, a map any sparse index.
  private memoDense: Array<PickleValue | undefined> = [];
  private memoSparse = new Map<number, PickleValue>();
  private memoSize = 0;
  private memoOverflow = false;
  private protocol = 0;
  private opcodeOffset = 0;
  private codecsOffset = -1;
  private codecsIdiomOnly = true;

  constructor(private readonly options: ScanPickleOptions) {
    this.maxStackDepth = options.limits.maxStackDepth;
    this.maxMemoEntries = options.limits.maxMemoEntries;
    this.reader = new ForwardReader(options.source, options.start ?? 0, options.end ?? options.source.size);
  }

  run(): ScanPickleResult {
    const maxPickles = this.options.maxPickles ?? this.options.limits.maxPicklesPerStream;
    let pickles = 0;
    while (pickles < maxPickles) {
      const startOfPickle = this.reader.position;
      const findingsBefore = this.findings.length;
      const outcome = this.runOne();
      if (outcome === 'stop') {
        pickles++;
        if (this.reader.atEnd) break;
        continue;
      }
      if (outcome === 'limit') break;
      // A damaged stream: the first pickle is reported; after a complete pickle, bytes that do not
      // parse from their first opcode are plain trailing data (legacy checkpoints, appended payloads).
      const message = outcome.message;
      if (pickles > 0 && this.findings.length === findingsBefore) {
        this.add(
          RULES.trailingData,
          `${this.reader.limit - startOfPickle} bytes after pickle ${pickles} are not a pickle`,
          startOfPickle,
        );
      } else if (outcome.truncated) {
        this.add(RULES.truncated, message, this.opcodeOffset);
      } else {
        this.add(RULES.invalidOpcode, message, this.opcodeOffset);
      }
      break;
    }
    if (pickles >= maxPickles && !this.reader.atEnd && !this.options.tailIsData) {
      // A loader that keeps calling load() would run what follows: not analysed, so not clean.
      this.add(
        RULES.pickleLimit,
        `more than ${maxPickles} pickles in one stream; ${this.reader.limit - this.reader.position} bytes after them are not analysed`,
        this.reader.position,
      );
    }
    this.finish();
    return {
      findings: this.findings,
      pickles,
      end: this.reader.position,
      globals: [...this.globals.keys()],
      protocol: this.protocol,
    };
  }

  private finish(): void {
    if (this.codecsOffset >= 0 && !this.codecsIdiomOnly) {
      this.add(RULES.codecsMisuse, '_codecs.encode is used outside encode(str, "latin1")', this.codecsOffset);
    }
    for (const [qualified, offset] of this.partialUses) {
      this.add(
        RULES.unknownGlobal,
        `imports ${qualified} but never applies it to an allowlisted callable`,
        offset,
      );
    }
  }

  private location(offset: number): string {
    return `${this.options.location}@${offset}`;
  }

  private add(
    rule: (typeof RULES)[keyof typeof RULES],
    message: string,
    offset: number,
    extra?: readonly string[],
  ): void {
    const key = `${rule.id}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push(
      makeFinding({ rule, message, location: this.location(offset), extraReferences: extra ?? [] }),
    );
  }

  private push(value: PickleValue): void {
    if (this.depth >= this.maxStackDepth) throw new LimitReached('stack depth');
    this.values[this.depth++] = value;
  }

  private pop(): PickleValue {
    if (this.depth <= this.frameStart) throw new PickleInvalid('stack underflow');
    return this.values[--this.depth] as PickleValue;
  }

  private top(): PickleValue {
    if (this.depth <= this.frameStart) throw new PickleInvalid('stack is empty');
    return this.values[this.depth - 1] as PickleValue;
  }

  private mark(): void {
    if (this.frameStarts.length >= this.maxStackDepth) throw new LimitReached('mark depth');
    this.frameStarts.push(this.frameStart);
    this.frameStart = this.depth;
  }

  /**
   * Pops the current MARK frame and returns where its items start; they stay readable at
   * `values[start, end)` (end = depth before the call) until the next push.
   */
  private popMark(): number {
    const start = this.frameStart;
    const previous = this.frameStarts.pop();
    if (previous === undefined) throw new PickleInvalid('no MARK on the stack');
    this.frameStart = previous;
    this.depth = start;
    return start;
  }

  /** The tuple built from `values[start, end)`; copies items only when they can matter (tupleOf). */
  private tupleFrom(start: number, end: number): PickleValue {
    const length = end - start;
    if (length === 0) return EMPTY_TUPLE;
    const first = this.values[start] as PickleValue;
    if (this.tracksArrays || mustKeepTuple(first, this.values[start + 1], length)) {
      return tupleOf(this.values.slice(start, end), this.tracksArrays);
    }
    return sharedTupleStartingWith(first);
  }

  private memoPut(index: number): void {
    const dense = this.memoDense;
    // Picklers memoize in order: the next index of a memo with no sparse entries is the common case.
    if (index === dense.length && this.memoSparse.size === 0 && this.memoSize < this.maxMemoEntries) {
      const value = this.top();
      this.memoSize++;
      dense.push(value);
      return;
    }
    const isNew =
      (index < dense.length
        ? dense[index]
        : this.memoSparse.size === 0
          ? undefined
          : this.memoSparse.get(index)) === undefined;
    if (isNew && this.memoSize >= this.maxMemoEntries) {
      if (!this.memoOverflow) {
        this.add(
          RULES.pickleLimit,
          `memo holds more than ${this.maxMemoEntries} entries; later entries are untracked`,
          this.opcodeOffset,
        );
      }
      this.memoOverflow = true;
      return;
    }
    if (isNew) this.memoSize++;
    const value = this.top();
    if (index < dense.length) dense[index] = value;
    else if (index < dense.length + 4096) {
      while (dense.length < index) dense.push(undefined);
      dense.push(value);
    } else this.memoSparse.set(index, value);
  }

  private memoGet(index: number): void {
    const value = index < this.memoDense.length ? this.memoDense[index] : this.memoSparse.get(index);
    if (value === undefined) {
      if (!this.memoOverflow) throw new PickleInvalid(`memo key ${index} is missing`);
      this.push(UNKNOWN);
      return;
    }
    this.push(value);
  }

  private line(): Uint8Array {
    const line = this.reader.line(MAX_LINE);
    if (line === null) throw new PickleInvalid('operand line too long');
    return line;
  }

  private lineText(): string {
    const text = this.reader.lineText(MAX_LINE);
    if (text === null) throw new PickleInvalid('operand line too long');
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }

  private decimal(): number {
    const text = this.lineText();
    if (!/^-?[0-9]{1,18}$/.test(text)) throw new PickleInvalid('invalid decimal operand');
    return Number(text);
  }

  /** Reads `length` bytes when small enough to matter, otherwise skips them. */
  private payload(length: number): Uint8Array | null {
    if (length > this.options.limits.maxStringBytes) {
      this.reader.skip(length);
      return null;
    }
    return this.reader.bytes(length);
  }

  /**
   * A BINUNICODE, BINSTRING or SHORT_BINSTRING value. Text that cannot decide safety (see
   * isMeaningfulText: not an importable name, not "latin-1", not an encoded pickle) is skipped
   * undecoded as the shared OTHER_TEXT marker: it can never become an import, and state dicts are full
   * of such values (tensor names with numeric parts, storage keys "0", "1", …), which would otherwise
   * be decoded and kept alive by the memo. While joblib arrays are tracked everything is decoded
   * (dtype strings such as "<f8" and dict keys are needed).
   */
  private textValue(length: number, latin1: boolean): PickleValue {
    if (length > this.options.limits.maxStringBytes) {
      this.reader.skip(length);
      return LONG_STRING;
    }
    if (!this.tracksArrays && !this.reader.testAhead(length, isMeaningfulText)) {
      this.reader.skip(length);
      return OTHER_TEXT;
    }
    return this.stringValue(latin1 ? this.reader.latin1(length) : this.reader.utf8(length));
  }

  private importGlobal(module: string, name: string): PickleValue {
    const key = `${module}\n${name}`;
    const cached = this.globalValues.get(key);
    if (cached !== undefined) return cached;
    const value = this.resolveGlobal(module, name);
    this.globalValues.set(key, value);
    return value;
  }

  private resolveGlobal(module: string, name: string): PickleValue {
    if (!isDottedName(module) || !isDottedName(name)) {
      throw new PickleInvalid(`global name ${printable(`${module} ${name}`, 80)} cannot be imported`);
    }
    const qualified = normalizeGlobal(module, name);
    let verdict = this.globals.get(qualified);
    if (qualified.endsWith('numpy_pickle.NumpyArrayWrapper')) this.tracksArrays = true;
    if (verdict === undefined) {
      verdict = classifyGlobal(module, name);
      this.globals.set(qualified, verdict);
      const shown =
        qualified === `${module}.${name}` ? qualified : `${qualified} (written as ${module}.${name})`;
      if (verdict.status === 'dangerous') {
        const rule = verdict.entry.kind === 'loader' ? RULES.nestedLoader : RULES.dangerousGlobal;
        this.add(
          rule,
          `imports ${shown}: ${verdict.entry.reason}`,
          this.opcodeOffset,
          verdict.entry.references,
        );
      } else if (verdict.status === 'unknown') {
        this.add(RULES.unknownGlobal, `imports ${shown}, which is not on the allowlist`, this.opcodeOffset);
      } else if (qualified === 'functools.partial') {
        if (!this.partialUses.has(qualified)) this.partialUses.set(qualified, this.opcodeOffset);
      } else if (qualified === '_codecs.encode' && this.codecsOffset < 0) {
        this.codecsOffset = this.opcodeOffset;
      }
    }
    return { kind: 'global', qualified, verdict };
  }

  private call(callee: PickleValue, args: PickleValue, how: string): PickleValue {
    if (typeof callee === 'object' && callee.kind === 'global') {
      if (callee.qualified === '_codecs.encode') this.checkCodecs(args);
      if (callee.qualified === 'functools.partial') this.checkPartial(args);
    } else {
      const described =
        typeof callee === 'object' &&
        callee.kind === 'call' &&
        typeof callee.callee === 'object' &&
        callee.callee.kind === 'global'
          ? `the result of ${callee.callee.qualified}`
          : `a ${kindOf(callee)} value`;
      this.add(RULES.computedCall, `${how} calls ${described}, not an imported global`, this.opcodeOffset);
    }
    // Results of calls to the same global are interchangeable for the analysis: share one value.
    // numpy.dtype results keep their arguments while inline joblib arrays are tracked (the item size).
    const keepArgs =
      this.tracksArrays &&
      typeof callee === 'object' &&
      callee.kind === 'global' &&
      callee.qualified === 'numpy.dtype';
    if (typeof callee === 'object' && callee.kind === 'global' && !keepArgs) {
      let result = this.callResults.get(callee);
      if (result === undefined) {
        result = { kind: 'call', callee, args: UNKNOWN };
        this.callResults.set(callee, result);
      }
      return result;
    }
    return { kind: 'call', callee, args };
  }

  private checkCodecs(args: PickleValue): void {
    const items = typeof args === 'object' && args.kind === 'tuple' ? args.items : [];
    const encoding = items[1];
    const idiom =
      items.length === 2 &&
      (typeof items[0] === 'string' || items[0] === OTHER_TEXT) &&
      (encoding === 'latin1' || encoding === 'latin-1');
    if (!idiom) this.codecsIdiomOnly = false;
  }

  private checkPartial(args: PickleValue): void {
    const first = typeof args === 'object' && args.kind === 'tuple' ? args.items[0] : undefined;
    const wrapped = typeof first === 'object' ? first : undefined;
    if (
      wrapped?.kind === 'global' &&
      wrapped.verdict.status === 'safe' &&
      wrapped.qualified !== 'functools.partial'
    ) {
      this.partialUses.delete('functools.partial');
      return;
    }
    const name =
      wrapped?.kind === 'global'
        ? wrapped.qualified
        : `a ${first === undefined ? 'missing' : kindOf(first)} value`;
    this.partialUses.delete('functools.partial');
    this.add(RULES.partialWrapper, `functools.partial wraps ${name}`, this.opcodeOffset);
  }

  private build(): void {
    const state = this.pop();
    const target = this.top();
    if (
      this.tracksArrays &&
      typeof target === 'object' &&
      target.kind === 'call' &&
      typeof target.callee === 'object' &&
      target.callee.kind === 'global' &&
      target.callee.qualified.endsWith('numpy_pickle.NumpyArrayWrapper')
    ) {
      this.skipInlineArray(state);
      return;
    }
    if (typeof target === 'object' && target.kind === 'global') {
      this.add(RULES.globalMutation, `BUILD sets state on ${target.qualified} itself`, this.opcodeOffset);
    }
  }

  /**
   * joblib (numpy_pickle.py, NumpyArrayWrapper.write_array) writes the raw bytes of an array into the
   * stream right after the wrapper's BUILD: a padding-length byte and padding when
   * numpy_array_alignment_bytes is set, then shape × itemsize bytes; object arrays are a nested pickle.
   */
  private skipInlineArray(state: PickleValue): void {
    const entries = typeof state === 'object' && state.kind === 'dict' ? state.entries : undefined;
    const shape = entries?.get('shape');
    const dtype = entries?.get('dtype');
    const dimensions =
      typeof shape === 'object' &&
      shape.kind === 'tuple' &&
      shape.items.every((item) => typeof item === 'number')
        ? (shape.items as number[])
        : undefined;
    const dtypeArgs = typeof dtype === 'object' && dtype.kind === 'call' ? dtype.args : undefined;
    const descr =
      typeof dtypeArgs === 'object' && dtypeArgs.kind === 'tuple' ? dtypeArgs.items[0] : undefined;
    if (dimensions === undefined || typeof descr !== 'string') {
      throw new PickleInvalid(
        'joblib array wrapper without a readable shape and dtype; inline data cannot be skipped',
      );
    }
    if (/^[|<>=]?O\d{0,2}$/.test(descr)) {
      if ((this.options.depth ?? 0) >= MAX_NESTED_DEPTH) throw new LimitReached('nested object array depth');
      const nested = scanPickle({
        source: this.options.source,
        start: this.reader.position,
        end: this.reader.limit,
        location: this.options.location,
        limits: this.options.limits,
        maxPickles: 1,
        tailIsData: true,
        depth: (this.options.depth ?? 0) + 1,
      });
      this.findings.push(...nested.findings);
      this.reader.position = nested.end;
      return;
    }
    const match = /^[|<>=]?([a-zA-Z])(\d{1,6})$/.exec(descr);
    if (match === null)
      throw new PickleInvalid(`joblib array dtype ${printable(descr, 20)} is not understood`);
    const itemSize = Number(match[2]) * (match[1] === 'U' ? 4 : 1);
    const count = dimensions.reduce((product, dimension) => product * dimension, 1);
    if (typeof entries?.get('numpy_array_alignment_bytes') === 'number') this.reader.skip(this.reader.byte());
    this.reader.skip(count * itemSize);
  }

  private stringValue(text: string | null): PickleValue {
    if (text !== null && text.length >= 16) {
      const first = text.charCodeAt(0);
      // Only base64 of a pickle ("gA…") or hex of one ("80…") can hide another pickle.
      if ((first === 0x67 && text.charCodeAt(1) === 0x41) || first === 0x38) this.maybeEncodedPickle(text);
    }
    return text ?? LONG_STRING;
  }

  private bytesValue(data: Uint8Array | null, offset: number): PickleValue {
    if (data !== null && data.length >= 4 && data[0] === 0x80 && (data[1] as number) <= 5) {
      this.scanEmbedded(data.slice(), offset, 'bytes');
    }
    return BYTES;
  }

  /** Base64 or hex text that decodes to a pickle is scanned as well (nested payload smuggling). */
  private maybeEncodedPickle(text: string): void {
    if (/^gA[SNJUI]/.test(text) && /^[A-Za-z0-9+/=\s]+$/.test(text)) {
      this.scanEmbedded(new Uint8Array(Buffer.from(text, 'base64')), this.opcodeOffset, 'base64 text');
    } else if (/^800[1-5]/i.test(text) && /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) {
      this.scanEmbedded(new Uint8Array(Buffer.from(text, 'hex')), this.opcodeOffset, 'hex text');
    }
  }

  private scanEmbedded(data: Uint8Array, offset: number, how: string): void {
    const depth = this.options.depth ?? 0;
    if (depth >= MAX_NESTED_DEPTH) return;
    const nested = scanPickle({
      source: createBufferSource(data),
      location: `${this.location(offset)} > ${how}`,
      limits: this.options.limits,
      maxPickles: 4,
      tailIsData: true,
      depth: depth + 1,
    });
    if (!nested.findings.some((finding) => finding.severity !== 'info')) return;
    const imports =
      nested.globals.length > 0
        ? `importing ${nested.globals.slice(0, 5).join(', ')}`
        : 'with nested payloads';
    this.add(RULES.embeddedPickle, `${how} at byte ${offset} holds a pickle ${imports}`, offset);
    this.findings.push(...nested.findings);
  }

  /** Runs one pickle up to STOP. */
  private runOne(): 'stop' | 'limit' | { message: string; truncated: boolean } {
    this.depth = 0;
    this.frameStart = 0;
    this.frameStarts.length = 0;
    this.memoDense = [];
    this.memoSparse = new Map();
    this.memoSize = 0;
    this.memoOverflow = false;
    try {
      this.loop();
      return 'stop';
    } catch (error) {
      if (error instanceof EndOfStream)
        return { message: `pickle stream ends at byte ${error.offset} before STOP`, truncated: true };
      if (error instanceof PickleInvalid) return { message: error.message, truncated: false };
      if (error instanceof LimitReached) {
        this.add(
          RULES.pickleLimit,
          `${error.message} limit reached; the rest of the stream is not analysed`,
          this.opcodeOffset,
        );
        return 'limit';
      }
      throw error;
    }
  }

  // Opcodes and operands follow CPython Lib/pickletools.py (protocols 0-5) and Lib/pickle.py _Unpickler.
  // One switch over all opcodes, kept in one place on purpose: V8 turns it into a jump table, and the
  // loop is the hot path of every pickle scan.
  private loop(): void {
    const reader = this.reader;
    const limit = Math.min(reader.limit, (this.options.start ?? 0) + this.options.limits.maxPickleBytes);
    for (;;) {
      this.opcodeOffset = reader.position;
      if (this.opcodeOffset >= limit && limit < reader.limit) throw new LimitReached('pickle size');
      const opcode = reader.byte();
      switch (opcode) {
        case 0x28: // MARK
          this.mark();
          break;
        case 0x2e: // STOP
          this.pop();
          return;
        case 0x30: // POP
          if (this.depth > this.frameStart) this.depth--;
          else this.popMark();
          break;
        case 0x31: // POP_MARK
          this.popMark();
          break;
        case 0x32: // DUP
          this.push(this.top());
          break;
        case 0x46: // FLOAT
        case 0x49: // INT
        case 0x4c: {
          // LONG. The unpickler rejects operands that are not numbers (int() / float() fail).
          const text = this.lineText();
          if (!NUMBER_OPERAND.test(text))
            throw new PickleInvalid('numeric opcode with a non-numeric operand');
          this.push(SCALAR);
          break;
        }
        case 0x4a: // BININT
          this.push(reader.int32());
          break;
        case 0x4b: // BININT1
          this.push(reader.byte());
          break;
        case 0x4d: // BININT2
          this.push(reader.uint16());
          break;
        case 0x47: // BINFLOAT
          reader.skip(8);
          this.push(SCALAR);
          break;
        case 0x4e: // NONE
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
          this.push(SCALAR);
          break;
        case 0x8a: // LONG1
          reader.skip(reader.byte());
          this.push(SCALAR);
          break;
        case 0x8b: {
          // LONG4
          const length = reader.int32();
          if (length < 0) throw new PickleInvalid('LONG4 with negative length');
          reader.skip(length);
          this.push(SCALAR);
          break;
        }
        case 0x50: // PERSID
          this.line();
          this.push(UNKNOWN);
          break;
        case 0x51: // BINPERSID
          this.pop();
          this.push(UNKNOWN);
          break;
        case 0x52: {
          // REDUCE
          const args = this.pop();
          const callee = this.pop();
          this.push(this.call(callee, args, 'REDUCE'));
          break;
        }
        case 0x53: {
          // STRING
          const text = decodeQuotedString(this.line());
          if (text === null) throw new PickleInvalid('STRING operand is not a quoted string');
          this.push(this.stringValue(text));
          break;
        }
        case 0x54: {
          // BINSTRING
          const length = reader.int32();
          if (length < 0) throw new PickleInvalid('BINSTRING with negative length');
          this.push(this.textValue(length, true));
          break;
        }
        case 0x55: {
          // SHORT_BINSTRING
          this.push(this.textValue(reader.byte(), true));
          break;
        }
        case 0x56: // UNICODE
          this.push(this.stringValue(decodeRawUnicodeEscape(this.line())));
          break;
        case 0x58: {
          // BINUNICODE
          this.push(this.textValue(reader.uint32(), false));
          break;
        }
        case 0x8c: // SHORT_BINUNICODE
          this.push(this.textValue(reader.byte(), false));
          break;
        case 0x8d: {
          // BINUNICODE8
          this.push(this.textValue(reader.uint64(), false));
          break;
        }
        case 0x42: {
          // BINBYTES
          const offset = reader.position;
          this.push(this.bytesValue(this.payload(reader.uint32()), offset));
          break;
        }
        case 0x43: {
          // SHORT_BINBYTES
          const offset = reader.position;
          this.push(this.bytesValue(reader.bytes(reader.byte()), offset));
          break;
        }
        case 0x8e: // BINBYTES8
        case 0x96: {
          // BYTEARRAY8
          const offset = reader.position;
          this.push(this.bytesValue(this.payload(reader.uint64()), offset));
          break;
        }
        case 0x97: // NEXT_BUFFER
          this.push(UNKNOWN);
          break;
        case 0x98: // READONLY_BUFFER
          this.top();
          break;
        case 0x61: // APPEND
          this.pop();
          this.top();
          break;
        case 0x65: // APPENDS
        case 0x90: // ADDITEMS
          this.popMark();
          this.top();
          break;
        case 0x75: {
          // SETITEMS
          const end = this.depth;
          const start = this.popMark();
          const target = this.top();
          if (typeof target === 'object' && target.kind === 'dict') {
            for (let index = start; index + 1 < end; index += 2)
              setEntry(target, this.values[index] as PickleValue, this.values[index + 1] as PickleValue);
          }
          break;
        }
        case 0x73: {
          // SETITEM
          const value = this.pop();
          const key = this.pop();
          const target = this.top();
          if (typeof target === 'object' && target.kind === 'dict') setEntry(target, key, value);
          break;
        }
        case 0x62: // BUILD
          this.build();
          break;
        case 0x63: {
          // GLOBAL
          const module = this.lineText();
          const name = this.lineText();
          this.push(this.importGlobal(module, name));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL: module and name come from the stack, so memo tricks resolve here too.
          const name = this.pop();
          const module = this.pop();
          this.push(this.stackGlobal(module, name));
          break;
        }
        case 0x69: {
          // INST
          const module = this.lineText();
          const name = this.lineText();
          const end = this.depth;
          const args = this.tupleFrom(this.popMark(), end);
          const cls = this.importGlobal(module, name);
          this.push(this.call(cls, args, 'INST'));
          break;
        }
        case 0x6f: {
          // OBJ
          const end = this.depth;
          const start = this.popMark();
          if (start === end) throw new PickleInvalid('OBJ without a class');
          const cls = this.values[start] as PickleValue;
          this.push(this.call(cls, this.tupleFrom(start + 1, end), 'OBJ'));
          break;
        }
        case 0x81: {
          // NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          this.push(this.call(cls, args, 'NEWOBJ'));
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          this.pop();
          const args = this.pop();
          const cls = this.pop();
          this.push(this.call(cls, args, 'NEWOBJ_EX'));
          break;
        }
        case 0x82: // EXT1
          this.extension(reader.byte());
          break;
        case 0x83: // EXT2
          this.extension(reader.uint16());
          break;
        case 0x84: // EXT4
          this.extension(reader.int32());
          break;
        case 0x64: // DICT
        case 0x6c: // LIST
        case 0x91: // FROZENSET
          this.popMark();
          this.push(CONTAINER);
          break;
        case 0x74: // TUPLE
          {
            const end = this.depth;
            this.push(this.tupleFrom(this.popMark(), end));
          }
          break;
        case 0x7d: // EMPTY_DICT
          this.push(this.tracksArrays ? { kind: 'dict', entries: new Map() } : CONTAINER);
          break;
        case 0x5d: // EMPTY_LIST
        case 0x8f: // EMPTY_SET
          this.push(CONTAINER);
          break;
        case 0x29: // EMPTY_TUPLE
          this.push(EMPTY_TUPLE);
          break;
        case 0x85: // TUPLE1
          {
            const first = this.pop();
            this.push(
              this.tracksArrays || mustKeepTuple(first, undefined, 1)
                ? tupleOf([first], this.tracksArrays)
                : sharedTupleStartingWith(first),
            );
          }
          break;
        case 0x86: {
          // TUPLE2
          const second = this.pop();
          const first = this.pop();
          this.push(
            this.tracksArrays || mustKeepTuple(first, second, 2)
              ? tupleOf([first, second], this.tracksArrays)
              : sharedTupleStartingWith(first),
          );
          break;
        }
        case 0x87: {
          // TUPLE3
          const third = this.pop();
          const second = this.pop();
          const first = this.pop();
          this.push(
            this.tracksArrays || mustKeepTuple(first, second, 3)
              ? tupleOf([first, second, third], this.tracksArrays)
              : sharedTupleStartingWith(first),
          );
          break;
        }
        case 0x67: // GET
          this.memoGet(this.decimal());
          break;
        case 0x68: // BINGET
          this.memoGet(reader.byte());
          break;
        case 0x6a: // LONG_BINGET
          this.memoGet(reader.uint32());
          break;
        case 0x70: // PUT
          this.memoPut(this.decimal());
          break;
        case 0x71: // BINPUT
          this.memoPut(reader.byte());
          break;
        case 0x72: // LONG_BINPUT
          this.memoPut(reader.uint32());
          break;
        case 0x94: // MEMOIZE
          this.memoPut(this.memoSize);
          break;
        case 0x80: {
          // PROTO
          const protocol = reader.byte();
          if (protocol > 5) throw new PickleInvalid(`unsupported pickle protocol ${protocol}`);
          this.protocol = Math.max(this.protocol, protocol);
          break;
        }
        case 0x95: // FRAME: a length prefix only; opcodes continue inside it.
          reader.skip(8);
          break;
        default:
          throw new PickleInvalid(`invalid opcode 0x${opcode.toString(16).padStart(2, '0')}`);
      }
    }
  }

  private stackGlobal(module: PickleValue, name: PickleValue): PickleValue {
    if (typeof module === 'string' && typeof name === 'string') {
      return this.importGlobal(module, name);
    }
    if (module === OTHER_TEXT || name === OTHER_TEXT) {
      throw new PickleInvalid('STACK_GLOBAL names something that cannot be imported');
    }
    if (
      (kindOf(module) === 'long-string' || kindOf(module) === 'unknown' || typeof module === 'string') &&
      (kindOf(name) === 'long-string' || kindOf(name) === 'unknown' || typeof name === 'string')
    ) {
      this.add(
        RULES.unresolvedGlobal,
        'STACK_GLOBAL operands could not be resolved statically',
        this.opcodeOffset,
      );
      return { kind: 'global', qualified: '<unresolved>', verdict: { status: 'unknown' } };
    }
    throw new PickleInvalid(`STACK_GLOBAL needs two strings, got ${kindOf(module)} and ${kindOf(name)}`);
  }

  private extension(code: number): void {
    // copyreg's extension registry is empty in a stock interpreter; any code depends on the loader.
    this.add(
      RULES.unknownExtension,
      `EXT opcode uses extension code ${code}, resolved by the loader's copyreg registry`,
      this.opcodeOffset,
    );
    this.push(UNKNOWN);
  }
}

class LimitReached extends Error {}
