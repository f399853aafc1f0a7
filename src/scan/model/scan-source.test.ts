import { describe, expect, it } from 'vitest';
import {
  buildGguf,
  buildNpy,
  buildOnnx,
  buildSafetensors,
  buildSavedModel,
} from '../test-support/format-builders.js';
import {
  callPickle,
  numpyArrayPickle,
  PickleBuilder,
  torchStateDictPickle,
} from '../test-support/pickle-builder.js';
import { ruleIds, scanBytes } from '../test-support/scan-bytes.js';
import { buildTar, buildZip } from '../test-support/zip-builder.js';
import { verdictOf } from '../verdict.js';

const evil = callPickle({ module: 'os', name: 'system', args: ['id'] });

function torchZip(
  dataPkl: Uint8Array,
  extra: Partial<Parameters<typeof buildZip>[0][number]> = {},
): Uint8Array {
  return buildZip([
    { name: 'archive/data.pkl', data: dataPkl, ...extra },
    { name: 'archive/byteorder', data: Buffer.from('little') },
    { name: 'archive/data/0', data: new Uint8Array(4096).fill(7) },
    { name: 'archive/version', data: Buffer.from('3\n') },
  ]);
}

describe('scanSource: PyTorch containers', () => {
  it('passes a benign PyTorch zip and names the format from content', () => {
    const result = scanBytes(torchZip(torchStateDictPickle()), {}, 'model.bin');
    expect(result.format).toBe('pytorch-zip');
    expect(result.findings).toEqual([]);
  });

  it('finds the payload in data.pkl, also deflated, encrypted-flagged or renamed in the central directory', () => {
    expect(ruleIds(scanBytes(torchZip(evil)))).toEqual(['pickle.dangerous-global']);
    expect(ruleIds(scanBytes(torchZip(evil, { deflate: true })))).toEqual(['pickle.dangerous-global']);
    expect(ruleIds(scanBytes(torchZip(evil, { flags: 0x1 })))).toEqual([
      'zip.flag-bits',
      'pickle.dangerous-global',
    ]);
    const renamed = scanBytes(torchZip(evil, { centralName: 'archive/data.txt' }));
    expect(ruleIds(renamed)).toEqual(['zip.name-mismatch', 'pickle.dangerous-global']);
  });

  it('tolerates CRC errors but reports them, and still scans', () => {
    expect(ruleIds(scanBytes(torchZip(evil, { badCrc: true })))).toEqual([
      'zip.crc-mismatch',
      'pickle.dangerous-global',
    ]);
  });

  it('reports path traversal and symlinks in zips and tars', () => {
    const zip = buildZip([
      { name: '../../etc/cron.d/job', data: Buffer.from('x') },
      { name: 'link', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
    ]);
    expect(ruleIds(scanBytes(zip))).toEqual(['archive.path-traversal', 'archive.symlink']);
    const tar = buildTar([
      { name: '/abs/file', data: Buffer.from('hi') },
      { name: 'escape', type: '2', linkName: '../../../etc/shadow' },
    ]);
    expect(ruleIds(scanBytes(tar))).toEqual([
      'archive.path-traversal',
      'archive.symlink',
      'archive.path-traversal',
    ]);
  });

  it('scans a legacy PyTorch tar and a legacy stacked-pickle file', () => {
    const tar = buildTar([
      { name: 'sys_info', data: callPickle({ module: 'collections', name: 'OrderedDict' }) },
      { name: 'pickle', data: evil },
      { name: 'storages', data: torchStateDictPickle() },
      { name: 'tensors', data: torchStateDictPickle() },
    ]);
    const result = scanBytes(tar);
    expect(result.format).toBe('pytorch-tar');
    expect(ruleIds(result)).toEqual(['pickle.dangerous-global']);
    const magic = Buffer.from([
      0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e,
    ]);
    const small = Buffer.from([0x80, 0x02, 0x4b, 0x03, 0x2e]);
    const legacy = Buffer.concat([magic, small, small, evil, small, Buffer.from([0xff, 0x00, 0x13, 0x37])]);
    const legacyResult = scanBytes(legacy);
    expect(legacyResult.format).toBe('pytorch-legacy');
    expect(ruleIds(legacyResult)).toEqual(['pickle.dangerous-global']);
  });

  it('limits nesting depth and inflation', () => {
    let nested = torchZip(evil);
    for (let level = 0; level < 5; level++) nested = buildZip([{ name: `level${level}.zip`, data: nested }]);
    expect(ruleIds(scanBytes(nested))).toContain('archive.limit-exceeded');
    const bomb = buildZip([{ name: 'zeros', data: new Uint8Array(20_000_000), deflate: true }]);
    expect(ruleIds(scanBytes(bomb, { maxMemberBytes: 5_000_000 }))).toEqual(['archive.compression-ratio']);
  });
});

describe('scanSource: other formats', () => {
  it('checks safetensors headers without reading tensor data', () => {
    const valid = buildSafetensors({
      __metadata__: { format: 'pt' },
      'a.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      'a.bias': { dtype: 'BF16', shape: [3], data_offsets: [24, 30] },
    });
    expect(scanBytes(valid).findings).toEqual([]);
    const overlap = buildSafetensors({
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    });
    expect(ruleIds(scanBytes(overlap))).toContain('safetensors.bad-offsets');
    const outside = buildSafetensors({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8);
    expect(scanBytes(outside).findings.map((finding) => finding.message)).toEqual([
      'tensor a: data offset end 16 is beyond the 8 bytes of tensor data',
      '8 bytes after the last tensor are not described by the header',
    ]);
    const wrongLength = buildSafetensors({ a: { dtype: 'F16', shape: [4], data_offsets: [0, 16] } });
    expect(ruleIds(scanBytes(wrongLength))).toEqual(['safetensors.length-mismatch']);
    const metadata = buildSafetensors({
      __metadata__: { note: 'import os; os.system("id")' },
      a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] },
    });
    expect(ruleIds(scanBytes(metadata))).toEqual(['safetensors.metadata-suspicious']);
  });

  it('scans object .npy payloads as pickles and passes numeric arrays', () => {
    expect(scanBytes(buildNpy('<f8', [3], new Uint8Array(24))).findings).toEqual([]);
    const objectArray = scanBytes(buildNpy('|O', [1], evil));
    expect(ruleIds(objectArray)).toEqual(['numpy.object-array', 'pickle.dangerous-global']);
    expect(
      scanBytes(buildNpy('|O', [1], numpyArrayPickle())).findings.map((finding) => finding.severity),
    ).toEqual(['info']);
  });

  it('flags ONNX external data that leaves the model folder and custom operator domains', () => {
    expect(scanBytes(buildOnnx({ location: 'weights.bin', rawBytes: 64 })).findings).toEqual([]);
    const result = scanBytes(buildOnnx({ location: '../../etc/passwd' }));
    expect(result.format).toBe('onnx');
    expect(ruleIds(result)).toEqual(['onnx.external-data-path']);
    expect(ruleIds(scanBytes(buildOnnx({ location: '/etc/passwd' })))).toEqual(['onnx.external-data-path']);
    expect(ruleIds(scanBytes(buildOnnx({ nodeDomain: 'com.evil.ops' })))).toEqual(['onnx.custom-op-domain']);
  });

  it('flags file and Python ops in a SavedModel graph', () => {
    const result = scanBytes(buildSavedModel(['Const', 'ReadFile', 'PyFunc', 'SaveV2']));
    expect(result.format).toBe('tensorflow-savedmodel');
    expect(result.findings.map((finding) => finding.message)).toEqual([
      'graph uses ReadFile (reads any file)',
      'graph uses PyFunc (calls a Python function)',
    ]);
    expect(scanBytes(buildSavedModel(['Const', 'MatMul', 'SaveV2'])).findings).toEqual([]);
  });

  it('parses GGUF chat templates and flags sandbox escapes without rendering them', () => {
    const benign = buildGguf({
      'general.name': 'tiny',
      'tokenizer.chat_template': "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}{% endfor %}",
    });
    expect(scanBytes(benign).findings).toEqual([]);
    const hostile = buildGguf({
      'tokenizer.chat_template': "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    });
    const result = scanBytes(hostile);
    expect(result.format).toBe('gguf');
    expect(ruleIds(result)).toEqual(['template.sandbox-escape']);
    expect(
      ruleIds(scanBytes(buildGguf({ 'tokenizer.chat_template': "{{ ''['__cla' ~ 'ss__'] }}" }))),
    ).toEqual(['template.sandbox-escape']);
  });

  it('checks tokenizer_config.json templates and Keras configs in .keras zips', () => {
    const tokenizer = Buffer.from(JSON.stringify({ chat_template: "{{ ''|attr('__class__') }}" }));
    expect(scanBytes(tokenizer).format).toBe('tokenizer-config');
    expect(ruleIds(scanBytes(tokenizer))).toEqual(['template.sandbox-escape']);
    const config = {
      module: 'keras',
      class_name: 'Functional',
      config: {
        layers: [
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense' } },
          {
            module: 'keras.layers',
            class_name: 'Lambda',
            config: { name: 'evil', function: { class_name: '__lambda__', config: { code: '4wEAAAAA' } } },
          },
          { module: 'os', class_name: 'system', config: { name: 'shell' } },
        ],
      },
    };
    const keras = buildZip([
      { name: 'metadata.json', data: Buffer.from('{"keras_version": "3.3.3"}') },
      { name: 'config.json', data: Buffer.from(JSON.stringify(config)) },
      { name: 'model.weights.h5', data: Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) },
    ]);
    const result = scanBytes(keras);
    expect(result.format).toBe('keras');
    expect(new Set(ruleIds(result))).toEqual(new Set(['keras.foreign-module', 'keras.lambda-layer']));
    expect(result.findings.find((finding) => finding.rule === 'keras.foreign-module')?.severity).toBe(
      'critical',
    );
    expect(verdictOf(result.findings)).toBe('malicious');
  });

  it('reports compression it cannot undo instead of passing silently, and decompresses zlib/gzip joblib files', async () => {
    const { deflateSync, gzipSync } = await import('node:zlib');
    expect(ruleIds(scanBytes(Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(20)])))).toEqual([
      'archive.cannot-decompress',
    ]);
    expect(ruleIds(scanBytes(Buffer.from([0x04, 0x22, 0x4d, 0x18, 0, 0, 0])))).toEqual([
      'archive.cannot-decompress',
    ]);
    const zlibResult = scanBytes(deflateSync(evil));
    expect(zlibResult.format).toBe('zlib+pickle');
    expect(ruleIds(zlibResult)).toEqual(['pickle.dangerous-global']);
    expect(ruleIds(scanBytes(gzipSync(evil)))).toEqual(['pickle.dangerous-global']);
  });

  it('ignores the extension: a pickle named .safetensors is still a pickle', () => {
    const result = scanBytes(evil, {}, 'model.safetensors');
    expect(result.format).toBe('pickle');
    expect(verdictOf(result.findings)).toBe('malicious');
  });
});

describe('scanSource: more containers', () => {
  it('names an archive of .npy members npz and scans object members', () => {
    const npz = buildZip([
      { name: 'weights.npy', data: buildNpy('<f4', [2], new Uint8Array(8)), deflate: true },
      { name: 'labels.npy', data: buildNpy('|O', [1], evil) },
    ]);
    const result = scanBytes(npz);
    expect(result.format).toBe('npz');
    expect(ruleIds(result)).toEqual(['numpy.object-array', 'pickle.dangerous-global']);
  });

  it('finds the Keras model_config JSON inside an HDF5 file', () => {
    const config = JSON.stringify({
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'Lambda', config: { name: 'l', function: 'x' } },
          { class_name: 'Dense', config: { name: 'd' } },
        ],
      },
    });
    const signature = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const h5 = Buffer.concat([signature, Buffer.alloc(600), Buffer.from(config), Buffer.alloc(300)]);
    const result = scanBytes(h5);
    expect(result.format).toBe('keras-h5');
    expect(ruleIds(result)).toEqual(['keras.lambda-layer']);
    const plain = Buffer.concat([signature, Buffer.alloc(600)]);
    expect(scanBytes(plain)).toEqual({ format: 'hdf5', findings: [] });
  });

  it('flags get_file in Keras configs and checks every named chat template', () => {
    const keras = Buffer.from(
      JSON.stringify({
        class_name: 'Functional',
        config: { loader: { module: 'keras.utils', class_name: 'function', config: 'get_file' } },
      }),
    );
    expect(ruleIds(scanBytes(keras))).toEqual(['keras.get-file']);
    const tokenizer = Buffer.from(
      JSON.stringify({
        chat_template: [
          { name: 'default', template: '{{ messages }}' },
          { name: 'tool_use', template: '{{ self.__init__.__globals__ }}' },
        ],
      }),
    );
    const result = scanBytes(tokenizer);
    expect(result.findings.map((finding) => finding.location)).toEqual(['sample:chat_template[tool_use]']);
  });
});

describe('scanSource: raw tensor bytes', () => {
  it('does not mistake tensor data that starts like a pickle for a broken pickle', () => {
    const tensor = Uint8Array.from(
      { length: 4096 },
      (_, index) => (index < 2 ? [0x80, 0x02][index] : (index * 131) % 251) as number,
    );
    const zip = buildZip([
      { name: 'archive/data.pkl', data: torchStateDictPickle() },
      { name: 'archive/data/0', data: tensor },
    ]);
    expect(scanBytes(zip).findings).toEqual([]);
  });
});

describe('scanSource: pickles without a protocol header', () => {
  it('recognises a protocol 0 pickle longer than the sniffed head', () => {
    const builder = new PickleBuilder(0).mark();
    for (let index = 0; index < 20_000; index++) builder.quotedString(`value ${index}`);
    builder.raw(0x6c); // LIST
    builder.call('os', 'system', 'id').stop();
    const result = scanBytes(builder.toBytes());
    expect(result.format).toBe('pickle');
    expect(ruleIds(result)).toContain('pickle.dangerous-global');
  });

  it('still reports a payload that runs before the stream breaks', () => {
    const broken = Buffer.concat([
      new PickleBuilder(0).call('os', 'system', 'id').toBytes(),
      Buffer.from('\u00ff garbage'),
    ]);
    const result = scanBytes(broken);
    expect(result.format).toBe('pickle');
    expect(ruleIds(result)).toEqual(['pickle.dangerous-global', 'pickle.invalid-opcode']);
  });

  it('does not take ordinary text for a pickle', () => {
    expect(scanBytes(Buffer.from('I like models.\nNot a pickle.\n')).format).toBe('text');
  });

  it('does not call a stream clean when more pickles follow than it reads', () => {
    const many = Buffer.concat([
      ...Array.from({ length: 70 }, () => callPickle({ module: 'collections', name: 'OrderedDict' })),
    ]);
    expect(ruleIds(scanBytes(many))).toEqual(['pickle.limit-exceeded']);
  });
});

describe('scanSource: bounded work on decoys', () => {
  it('stops searching an HDF5 file full of unclosed config markers', () => {
    const signature = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const decoys = Buffer.from('{"class_name": "x'.repeat(5000));
    const result = scanBytes(Buffer.concat([signature, decoys]));
    expect(ruleIds(result)).toEqual(['scan.limit-exceeded']);
  });
});
