import fc from 'fast-check';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../spec/severity.js';
import { checkChatTemplate } from './formats/chat-template.js';
import { METADATA_PATTERNS } from './formats/metadata-text.js';
import { DOTTED_NAME } from './pickle/classify-global.js';
import { NUMBER_OPERAND } from './pickle/scan-pickle.js';
import {
  buildGguf,
  buildNpy,
  buildOnnx,
  buildSafetensors,
  buildSavedModel,
} from './test-support/format-builders.js';
import { callPickle, numpyArrayPickle, torchStateDictPickle } from './test-support/pickle-builder.js';
import { scanBytes } from './test-support/scan-bytes.js';
import { buildTar, buildZip } from './test-support/zip-builder.js';

// Small limits keep every run fast and prove that limits, not input size, bound the work.
const LIMITS = {
  maxMemberBytes: 4 * 1024 * 1024,
  maxArchiveBytes: 8 * 1024 * 1024,
  maxMemoEntries: 10_000,
  maxStackDepth: 10_000,
};

const SEEDS: Record<string, Uint8Array> = {
  pickle: callPickle({ module: 'os', name: 'system', args: ['id'], protocol: 4 }),
  torchPickle: torchStateDictPickle(),
  numpyPickle: numpyArrayPickle(),
  protocol0: callPickle({ module: 'subprocess', name: 'call', args: ['x'], protocol: 0 }),
  zip: buildZip([
    { name: 'archive/data.pkl', data: torchStateDictPickle(), deflate: true },
    { name: 'archive/data/0', data: new Uint8Array(64) },
  ]),
  tar: buildTar([{ name: 'pickle', data: torchStateDictPickle() }]),
  safetensors: buildSafetensors({
    a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    __metadata__: { k: 'v' },
  }),
  npy: buildNpy('|O', [1], numpyArrayPickle()),
  onnx: buildOnnx({ location: 'w.bin', rawBytes: 32 }),
  savedModel: buildSavedModel(['Const', 'ReadFile']),
  gguf: buildGguf({ 'tokenizer.chat_template': '{{ messages[0].content }}' }),
  json: Buffer.from(JSON.stringify({ chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}' })),
};

const mutation = fc.record({
  seed: fc.constantFrom(...Object.keys(SEEDS)),
  edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  insert: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 16 })), { nil: undefined }),
});

function assertWellFormed(bytes: Uint8Array): void {
  const result = scanBytes(bytes, LIMITS);
  expect(typeof result.format).toBe('string');
  for (const finding of result.findings) {
    expect(SEVERITIES).toContain(finding.severity);
    expect(finding.rule).toMatch(/^[a-z0-9]+\.[a-z0-9-]+$/);
    expect(finding.message.length).toBeGreaterThan(0);
  }
}

describe('parsers under random and mutated input', () => {
  it('random bytes end in findings or a clean result, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => assertWellFormed(bytes)),
      { numRuns: 400 },
    );
  });

  it('random bytes behind each format magic never crash', () => {
    const magics = [
      [0x80, 0x04],
      [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19],
      [0x50, 0x4b, 0x03, 0x04],
      [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00],
      [0x47, 0x47, 0x55, 0x46, 0x03, 0, 0, 0],
      [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a],
      [0x08, 0x07],
      [0x1f, 0x8b],
      [0x78, 0x9c],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 1024 }), (magic, tail) => {
        assertWellFormed(Uint8Array.from([...magic, ...tail]));
      }),
      { numRuns: 400 },
    );
  });

  it('mutated valid samples of every format never crash', () => {
    fc.assert(
      fc.property(mutation, ({ seed, edits, cut, insert }) => {
        let bytes = Uint8Array.from(SEEDS[seed] as Uint8Array);
        for (const [position, value] of edits) if (bytes.length > 0) bytes[position % bytes.length] = value;
        if (insert !== undefined) {
          const at = insert[0] % (bytes.length + 1);
          bytes = Uint8Array.from([...bytes.subarray(0, at), ...insert[1], ...bytes.subarray(at)]);
        }
        if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
        assertWellFormed(bytes);
      }),
      { numRuns: 600 },
    );
  });

  it('random chat templates parse or fail cleanly', () => {
    const pieces = fc.constantFrom(
      '{{',
      '}}',
      '{%',
      '%}',
      ' for ',
      ' in ',
      'x',
      '.',
      '__class__',
      "'",
      '(',
      ')',
      '[',
      ']',
      '|attr',
      ' ~ ',
      ' if ',
      'endfor',
      'endif',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const findings = checkChatTemplate(parts.join(''), 'template');
        expect(Array.isArray(findings)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('regular expressions', () => {
  it('metadata patterns are safe from ReDoS', () => {
    // Fixed seed and step limits only: the same verdict on a busy or an idle machine.
    const deterministic = { randomSeed: 0, timeout: null, attackTimeout: null, incubationTimeout: null };
    for (const pattern of [...METADATA_PATTERNS, DOTTED_NAME, NUMBER_OPERAND]) {
      expect(checkSync(pattern.source, pattern.flags, deterministic).status, pattern.source).toBe('safe');
    }
  });
});
