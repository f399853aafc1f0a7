import { describe, expect, it } from 'vitest';
import { createBufferSource } from '../byte-source.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { callPickle, PickleBuilder, torchStateDictPickle } from '../test-support/pickle-builder.js';
import { scanPickle } from './scan-pickle.js';

// The emulator keeps only values that can decide safety (tensor names, tuples of storage ids and other
// data collapse to shared markers, MARK frames are indexes into one stack): these cases prove the
// compact representation loses no detection.

function rules(bytes: Uint8Array): string[] {
  return scanPickle({
    source: createBufferSource(bytes),
    location: 'sample',
    limits: DEFAULT_LIMITS,
  }).findings.map((finding) => finding.rule);
}

/** A torch-like state dict whose tensor names have numeric parts (kept as markers, not strings). */
function stateDictPrefix(builder: PickleBuilder, tensors: number): PickleBuilder {
  builder.global('collections', 'OrderedDict').put(0).tupleN(0).reduce().put(1).mark();
  for (let index = 0; index < tensors; index++) {
    builder.unicode(`model.layers.${index}.weight`).put();
    builder.mark().unicode('storage').unicode(String(index)).unicode('cpu').int(64).tuple().put().binpersid();
    builder.int(0).int(8).int(8).tupleN(2).put().bool(false).tupleN(3).put().pop().none();
  }
  return builder.setitems();
}

describe('compact pickle values keep detection', () => {
  it('resolves STACK_GLOBAL names from overwritten memo slots after a state dict', () => {
    const builder = stateDictPrefix(new PickleBuilder(4), 20);
    builder.unicode('collections').put(500).pop().unicode('os').put(500).pop();
    builder.unicode('system').put(501).pop();
    builder.get(500).get(501).stackGlobalOp().unicode('id').tupleN(1).reduce().stop();
    expect(rules(builder.toBytes())).toEqual(['pickle.dangerous-global']);
  });

  it('resolves STACK_GLOBAL names written as Python 2 byte strings', () => {
    const ordered = new PickleBuilder(2).shortBinString('posix').put(3).pop().shortBinString('system').put(4);
    ordered.pop().get(3).get(4).raw(0x93).shortBinString('id').tupleN(1).reduce().stop();
    expect(rules(ordered.toBytes())).toEqual(['pickle.dangerous-global']);
  });

  it('does not let a tensor-like name become a clean import', () => {
    const builder = stateDictPrefix(new PickleBuilder(4), 3);
    builder.unicode('model.layers.0').unicode('weight').stackGlobalOp().stop();
    expect(rules(builder.toBytes())).toEqual(['pickle.invalid-opcode']);
  });

  it('checks _codecs.encode arguments stored in and fetched from the memo', () => {
    const idiom = new PickleBuilder(2).global('_codecs', 'encode').put(0);
    idiom.unicode('\u00e9t\u00e9').unicode('latin-1').tupleN(2).put(1).pop().get(1).reduce().stop();
    expect(rules(idiom.toBytes())).toEqual([]);
    const misuse = new PickleBuilder(2).global('_codecs', 'encode').put(0);
    misuse.unicode('abc').unicode('rot13').tupleN(2).put(1).pop().get(1).reduce().stop();
    expect(rules(misuse.toBytes())).toEqual(['pickle.codecs-misuse']);
    const third = new PickleBuilder(2).global('_codecs', 'encode');
    third.mark().unicode('abc').unicode('latin1').unicode('strict').tuple().reduce().stop();
    expect(rules(third.toBytes())).toEqual(['pickle.codecs-misuse']);
  });

  it('sees what functools.partial wraps when its arguments come from the memo', () => {
    const builder = new PickleBuilder(2).global('functools', 'partial').put(0).pop();
    builder.mark().global('builtins', 'eval').unicode('1+1').tuple().put(1).pop();
    builder.get(0).get(1).reduce().tupleN(0).reduce().stop();
    const found = rules(builder.toBytes());
    expect(found).toContain('pickle.partial-wrapper');
    expect(found).toContain('pickle.dangerous-global');
    const safe = new PickleBuilder(2).global('functools', 'partial');
    safe.global('collections', 'OrderedDict').tupleN(1).reduce().stop();
    expect(rules(safe.toBytes())).toEqual([]);
  });

  it('scans nested pickles in bytes and hex text deep inside a state dict', () => {
    const inner = callPickle({ module: 'builtins', name: 'exec', args: ['print(1)'], protocol: 3 });
    const inBytes = stateDictPrefix(new PickleBuilder(3), 5);
    inBytes.mark().mark().unicode('payload').bytes(inner).put().tuple().tuple().stop();
    expect(rules(inBytes.toBytes())).toEqual(['pickle.embedded-pickle', 'pickle.dangerous-global']);
    const inHex = stateDictPrefix(new PickleBuilder(3), 5);
    inHex.mark().unicode(Buffer.from(inner).toString('hex')).put().tuple().stop();
    expect(rules(inHex.toBytes())).toEqual(['pickle.embedded-pickle', 'pickle.dangerous-global']);
  });

  it('keeps MARK frames apart: POP on an empty frame drops its mark, OBJ takes the class from the memo', () => {
    const builder = new PickleBuilder(2).global('subprocess', 'check_output').put(0).pop();
    builder.mark().mark().pop().get(0).unicode('id').obj().stop();
    expect(rules(builder.toBytes())).toEqual(['pickle.dangerous-global']);
    const underflow = new PickleBuilder(2).mark().none().mark().raw(0x52).stop();
    expect(rules(underflow.toBytes())).toEqual(['pickle.invalid-opcode']);
  });

  it('still passes the benign state dict layout', () => {
    expect(rules(stateDictPrefix(new PickleBuilder(2), 50).stop().toBytes())).toEqual([]);
    expect(rules(torchStateDictPickle(['encoder.layers.0.weight', 'lm_head.weight']))).toEqual([]);
  });
});
