import { describe, expect, it } from 'vitest';
import { buildAibom } from './aibom.js';
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
