import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// Test fixtures for the ONNX back-end: a tiny classifier graph written byte by byte and a WordPiece
// tokenizer, so tests need no downloaded model.

// Minimal protobuf writer for an ONNX ModelProto (onnx/onnx.proto3): varints and length-delimited fields.
function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}
const int = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];
const bytes = (field: number, payload: readonly number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(payload.length),
  ...payload,
];
const text = (field: number, value: string): number[] => bytes(field, [...Buffer.from(value, 'utf8')]);

function node(options: {
  inputs: string[];
  outputs: string[];
  op: string;
  attributes?: number[][];
}): number[] {
  return [
    ...options.inputs.flatMap((name) => text(1, name)),
    ...options.outputs.flatMap((name) => text(2, name)),
    ...text(4, options.op),
    ...(options.attributes ?? []).flatMap((attribute) => bytes(5, attribute)),
  ];
}
const intAttribute = (name: string, value: number) => [...text(1, name), ...int(3, value), ...int(20, 2)];
const intsAttribute = (name: string, values: number[]) => [
  ...text(1, name),
  ...values.flatMap((v) => int(8, v)),
  ...int(20, 7),
];

function valueInfo(name: string, elemType: number, dims: (number | string)[]): number[] {
  const shape = dims.flatMap((dim) => bytes(1, typeof dim === 'number' ? int(1, dim) : text(2, dim)));
  return [...text(1, name), ...bytes(2, bytes(1, [...int(1, elemType), ...bytes(2, shape)]))];
}

/**
 * logits = [-(d), d] with d = mean(input_ids × attention_mask) − 8: token ids above 8 on average read as
 * injection. Opset 13 (ReduceMean takes `axes` as an attribute there).
 */
export function tinyClassifier(inputType = 7, classes = 2, idsName = 'input_ids'): Uint8Array {
  const offset = [
    ...int(2, 1),
    ...bytes(4, [...Buffer.from(new Float32Array([8]).buffer)]),
    ...text(8, 'offset'),
  ];
  const graph = [
    ...bytes(1, node({ inputs: [idsName, 'attention_mask'], outputs: ['masked'], op: 'Mul' })),
    ...bytes(
      1,
      node({ inputs: ['masked'], outputs: ['floats'], op: 'Cast', attributes: [intAttribute('to', 1)] }),
    ),
    ...bytes(
      1,
      node({
        inputs: ['floats'],
        outputs: ['mean'],
        op: 'ReduceMean',
        attributes: [intsAttribute('axes', [1]), intAttribute('keepdims', 1)],
      }),
    ),
    ...bytes(1, node({ inputs: ['mean', 'offset'], outputs: ['shifted'], op: 'Sub' })),
    ...bytes(1, node({ inputs: ['shifted'], outputs: ['negated'], op: 'Neg' })),
    ...bytes(
      1,
      node({
        inputs: ['negated', ...Array.from({ length: classes - 1 }, () => 'shifted')],
        outputs: ['logits'],
        op: 'Concat',
        attributes: [intAttribute('axis', 1)],
      }),
    ),
    ...text(2, 'tiny-classifier'),
    ...bytes(5, offset),
    ...bytes(11, valueInfo(idsName, inputType, [1, 'sequence'])),
    ...bytes(11, valueInfo('attention_mask', inputType, [1, 'sequence'])),
    ...bytes(12, valueInfo('logits', 1, [1, classes])),
  ];
  return new Uint8Array([...int(1, 7), ...bytes(8, [...text(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}

/** A WordPiece tokenizer.json whose ids make the tiny classifier score "ignore … rules" as injection. */
export const tokenizer = {
  version: '1.0',
  normalizer: { type: 'BertNormalizer', lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: { type: 'BertProcessing', cls: ['[CLS]', 2], sep: ['[SEP]', 3] },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    vocab: {
      '[PAD]': 0,
      '[UNK]': 1,
      '[CLS]': 2,
      '[SEP]': 3,
      the: 4,
      weather: 5,
      is: 6,
      nice: 7,
      ignore: 20,
      rule: 21,
      '##s': 22,
    },
  },
};

/** True when the optional package onnxruntime-node is installed. */
export const hasRuntime = (() => {
  try {
    createRequire(import.meta.url).resolve('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
})();

/** Writes model.onnx, tokenizer.json and config.json (BENIGN, INJECTION) of the tiny classifier. */
export function writeTinyClassifier(directory: string): void {
  writeFileSync(join(directory, 'model.onnx'), tinyClassifier());
  writeFileSync(join(directory, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(
    join(directory, 'config.json'),
    JSON.stringify({ id2label: { 0: 'BENIGN', 1: 'INJECTION' } }),
  );
}
