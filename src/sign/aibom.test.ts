import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPaths } from '../scan/scan-paths.js';
import { buildAibom, createAibom } from './aibom.js';
import { cyclonedxValidator } from './test-support/cyclonedx-schema.js';

describe('buildAibom', () => {
  it('produces a CycloneDX 1.6 ML-BOM that validates against the official schema', () => {
    const bom = buildAibom({
      modelName: 'tiny-model',
      files: [
        { name: 'config.json', size: 12, sha256: 'a'.repeat(64) },
        { name: 'model.safetensors', size: 3000, sha256: 'b'.repeat(64) },
      ],
      scan: new Map([
        ['config.json', { path: '/m/config.json', format: 'json', verdict: 'clean', findings: [], size: 12 }],
        [
          'model.safetensors',
          {
            path: '/m/model.safetensors',
            format: 'safetensors',
            verdict: 'suspicious',
            size: 3000,
            findings: [
              {
                rule: 'safetensors.metadata',
                severity: 'low',
                message: 'odd metadata',
                location: 'header',
                references: [],
              },
            ],
          },
        ],
      ]),
      config: { architectures: ['LlamaForCausalLM'], model_type: 'llama' },
      toolVersion: '0.1.0',
    });
    const validate = cyclonedxValidator();
    expect(validate(bom), JSON.stringify(validate.errors)).toBe(true);
    const components = bom.components as { type: string; name: string }[];
    expect(components.map((component) => [component.name, component.type])).toEqual([
      ['config.json', 'file'],
      ['model.safetensors', 'machine-learning-model'],
    ]);
    expect(JSON.stringify(bom.metadata)).toContain('"aegis:scan:verdict","value":"suspicious"');
  });
});

describe('createAibom', () => {
  it('hashes and scans a real model folder end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-aibom-'));
    try {
      // A safetensors file: 8-byte little-endian header length, JSON header, tensor bytes.
      const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }));
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(header.length));
      const safetensors = Buffer.concat([length, header, Buffer.alloc(8)]);
      writeFileSync(join(dir, 'model.safetensors'), safetensors);
      // A protocol-2 pickle that would call os.system('ls') when loaded.
      writeFileSync(
        join(dir, 'evil.bin'),
        Buffer.from('\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.', 'latin1'),
      );
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ architectures: ['BertModel'], model_type: 'bert' }),
      );
      const bom = (await createAibom({
        modelPath: dir,
        scan: (paths) => scanPaths(paths),
        toolVersion: '0.1.0',
      })) as {
        components: {
          name: string;
          type: string;
          hashes: { content: string }[];
          properties: { name: string; value: string }[];
        }[];
        metadata: { component: { modelCard?: unknown } };
      };
      expect(cyclonedxValidator()(bom)).toBe(true);
      const byName = new Map(bom.components.map((component) => [component.name, component]));
      const verdict = (name: string) =>
        byName.get(name)?.properties.find((property) => property.name === 'aegis:scan:verdict')?.value;
      expect(verdict('evil.bin')).toBe('malicious');
      expect(verdict('model.safetensors')).toBe('clean');
      expect(byName.get('model.safetensors')?.type).toBe('machine-learning-model');
      expect(byName.get('model.safetensors')?.hashes[0]?.content).toBe(
        createHash('sha256').update(safetensors).digest('hex'),
      );
      expect(bom.metadata.component.modelCard).toEqual({
        modelParameters: { architectureFamily: 'bert', modelArchitecture: 'BertModel' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
