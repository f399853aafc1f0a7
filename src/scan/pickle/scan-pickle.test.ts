import { describe, expect, it } from 'vitest';
import { createBufferSource } from '../byte-source.js';
import { DEFAULT_LIMITS } from '../limits.js';
import {
  callPickle,
  numpyArrayPickle,
  PickleBuilder,
  torchStateDictPickle,
} from '../test-support/pickle-builder.js';
import { scanPickle } from './scan-pickle.js';

function scan(bytes: Uint8Array, limits = DEFAULT_LIMITS) {
  return scanPickle({ source: createBufferSource(bytes), location: 'sample', limits });
}

function rules(bytes: Uint8Array): string[] {
  return scan(bytes).findings.map((finding) => finding.rule);
}

describe('scanPickle', () => {
  it('passes a torch state dict and a numpy array without findings', () => {
    expect(scan(torchStateDictPickle()).findings).toEqual([]);
    const numpy = scan(numpyArrayPickle());
    expect(numpy.findings).toEqual([]);
    expect(numpy.globals).toContain('numpy.core.multiarray._reconstruct');
  });

  it.each([0, 1, 2, 3, 4, 5])('flags os.system through protocol %i', (protocol) => {
    const bytes = callPickle({ module: 'os', name: 'system', args: ['id'], protocol });
    const result = scan(bytes);
    expect(result.findings[0]?.rule).toBe('pickle.dangerous-global');
    expect(result.findings[0]?.message).toContain('os.system');
    expect(result.pickles).toBe(1);
  });

  it('maps Python 2 names and posix/nt aliases', () => {
    expect(rules(callPickle({ module: '__builtin__', name: 'eval', args: ['1'] }))).toContain(
      'pickle.dangerous-global',
    );
    expect(rules(callPickle({ module: 'posix', name: 'system', args: ['id'] }))).toContain(
      'pickle.dangerous-global',
    );
    expect(rules(callPickle({ module: 'nt', name: 'system', args: ['id'] }))).toContain(
      'pickle.dangerous-global',
    );
  });

  it('resolves STACK_GLOBAL names that come through the memo', () => {
    const builder = new PickleBuilder(4);
    builder
      .unicode('o' + 's')
      .put(7)
      .pop()
      .unicode('system')
      .put(8)
      .pop();
    builder.get(7).get(8).stackGlobalOp().unicode('id').tupleN(1).reduce().stop();
    const result = scan(builder.toBytes());
    expect(result.findings.map((finding) => finding.message).join()).toContain('os.system');
  });

  it('flags pip.main (CVE-2025-1716) and nested loaders', () => {
    const pip = scan(callPickle({ module: 'pip', name: 'main', args: ['install', 'evil'] }));
    expect(pip.findings[0]?.references).toContain('CVE-2025-1716');
    expect(rules(callPickle({ module: 'torch', name: 'load', args: ['x.pt'] }))).toContain(
      'pickle.nested-loader',
    );
    expect(rules(callPickle({ module: '_pickle', name: 'loads', args: ['x'] }))).toContain(
      'pickle.nested-loader',
    );
  });

  it('flags functools.partial around torch.load and around unknown callables', () => {
    const builder = new PickleBuilder(2);
    builder.global('functools', 'partial').global('torch', 'load').unicode('evil.pt').tupleN(2).reduce();
    builder.tupleN(0).reduce().stop();
    const found = rules(builder.toBytes());
    expect(found).toContain('pickle.partial-wrapper');
    expect(found).toContain('pickle.nested-loader');
  });

  it('reports unknown globals as suspicious, not as dangerous', () => {
    const found = scan(callPickle({ module: 'mypackage.layers', name: 'Custom' }));
    expect(found.findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['pickle.unknown-global', 'medium'],
    ]);
  });

  it('catches INST, OBJ, NEWOBJ_EX and EXT', () => {
    const inst = new PickleBuilder(0).mark().quotedString('id').inst('subprocess', 'check_output').stop();
    expect(rules(inst.toBytes())).toContain('pickle.dangerous-global');
    const obj = new PickleBuilder(1).mark().global('builtins', 'exec').quotedString('print(1)').obj().stop();
    expect(rules(obj.toBytes())).toContain('pickle.dangerous-global');
    const newobjEx = new PickleBuilder(4)
      .stackGlobal('webbrowser', 'Chrome')
      .tupleN(0)
      .emptyDict()
      .newobjEx()
      .stop();
    expect(rules(newobjEx.toBytes())).toContain('pickle.dangerous-global');
    const ext = new PickleBuilder(2).ext(300).tupleN(0).reduce().stop();
    expect(rules(ext.toBytes())).toEqual(['pickle.unknown-extension', 'pickle.computed-call']);
  });

  it('flags _codecs.encode outside the numpy idiom', () => {
    const builder = new PickleBuilder(2)
      .global('_codecs', 'encode')
      .unicode('abc')
      .unicode('rot13')
      .tupleN(2)
      .reduce()
      .stop();
    expect(rules(builder.toBytes())).toEqual(['pickle.codecs-misuse']);
  });

  it('reads several pickles in one stream and reports the hidden one', () => {
    const first = torchStateDictPickle();
    const second = callPickle({ module: 'os', name: 'system', args: ['id'] });
    const result = scan(Buffer.concat([first, second]));
    expect(result.pickles).toBe(2);
    expect(result.findings.map((finding) => finding.rule)).toEqual(['pickle.dangerous-global']);
  });

  it('reports what it found before truncation and treats junk after STOP as data', () => {
    const malicious = callPickle({ module: 'os', name: 'system', args: ['id'] });
    const truncated = scan(malicious.subarray(0, malicious.length - 3));
    expect(truncated.findings.map((finding) => finding.rule)).toEqual([
      'pickle.dangerous-global',
      'pickle.truncated',
    ]);
    const trailing = scan(Buffer.concat([torchStateDictPickle(), Buffer.from([0xff, 0xfe, 0x00])]));
    expect(trailing.findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['pickle.trailing-data', 'info'],
    ]);
  });

  it('skips large payloads without reading them', () => {
    const big = new PickleBuilder(4).bytes8(50_000_000, new Uint8Array(0)).toBytes();
    const source = createBufferSource(Buffer.concat([big, Buffer.alloc(50_000_000), Buffer.from([0x2e])]));
    const result = scanPickle({ source, location: 'big', limits: DEFAULT_LIMITS });
    expect(result.findings).toEqual([]);
    expect(source.bytesRead).toBeLessThan(3 * 1024 * 1024);
  });

  it('scans pickles hidden in bytes and base64 text', () => {
    const inner = callPickle({ module: 'os', name: 'system', args: ['id'] });
    const outer = new PickleBuilder(3).bytes(inner).stop();
    expect(rules(outer.toBytes())).toEqual(['pickle.embedded-pickle', 'pickle.dangerous-global']);
    const encoded = new PickleBuilder(3).unicode(Buffer.from(inner).toString('base64')).stop();
    expect(rules(encoded.toBytes())).toContain('pickle.dangerous-global');
  });

  it('flags BUILD on an imported global (monkey-patching)', () => {
    const builder = new PickleBuilder(2)
      .global('torch._utils', '_rebuild_tensor_v2')
      .emptyDict()
      .build()
      .stop();
    expect(rules(builder.toBytes())).toEqual(['pickle.global-mutation']);
  });

  it('stops at the memo limit with a finding instead of growing', () => {
    const builder = new PickleBuilder(4);
    for (let index = 0; index < 50; index++) builder.none().put().pop();
    builder.none().stop();
    const result = scan(builder.toBytes(), { ...DEFAULT_LIMITS, maxMemoEntries: 10 });
    expect(result.findings.map((finding) => finding.rule)).toEqual(['pickle.limit-exceeded']);
  });
});

describe('joblib inline arrays', () => {
  function joblibArray(options: {
    descr: string;
    shape: number[];
    data: Uint8Array;
    aligned: boolean;
  }): PickleBuilder {
    const builder = new PickleBuilder(4);
    builder.stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper').tupleN(0).newobj();
    builder.emptyDict().mark();
    builder.unicode('subclass').stackGlobal('numpy', 'ndarray');
    builder.unicode('shape').mark();
    for (const dimension of options.shape) builder.int(dimension);
    builder.tuple();
    builder.unicode('order').unicode('C');
    builder
      .unicode('dtype')
      .stackGlobal('numpy', 'dtype')
      .unicode(options.descr)
      .bool(false)
      .bool(true)
      .tupleN(3)
      .reduce();
    builder.mark().int(3).unicode('<').none().none().none().int(-1).int(-1).int(0).tuple().build();
    builder.unicode('allow_mmap').bool(false);
    if (options.aligned) builder.unicode('numpy_array_alignment_bytes').int(16);
    builder.setitems().build();
    if (options.aligned) builder.raw(3, 0xff, 0xff, 0xff);
    builder.raw(...options.data);
    return builder;
  }

  it('skips the raw array bytes joblib writes after NumpyArrayWrapper and keeps scanning', () => {
    // Array bytes that look like opcodes ("c", "R", ".") must not be parsed as pickle.
    const data = Uint8Array.from({ length: 48 }, (_, index) => [0x63, 0x52, 0x2e, 0x0a][index % 4] as number);
    const benign = joblibArray({ descr: '<f8', shape: [2, 3], data, aligned: true }).stop();
    expect(scan(benign.toBytes()).findings).toEqual([]);
    const hostile = joblibArray({ descr: '<i4', shape: [12], data, aligned: false });
    hostile.pop().call('os', 'system', 'id').stop();
    expect(rules(hostile.toBytes())).toEqual(['pickle.dangerous-global']);
  });

  it('scans object arrays, which joblib writes as a nested pickle', () => {
    const inner = callPickle({ module: 'subprocess', name: 'run', args: ['id'] });
    const builder = joblibArray({ descr: '|O', shape: [1], data: inner, aligned: false }).stop();
    expect(rules(builder.toBytes())).toEqual(['pickle.dangerous-global']);
  });
});
