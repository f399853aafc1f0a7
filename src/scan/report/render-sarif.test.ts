import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules.js';
import type { ScanReport } from '../types.js';
import { renderSarif } from './render-sarif.js';

// The parts of the SARIF 2.1.0 schema (OASIS sarif-schema-2.1.0.json) that code scanners rely on:
// required properties, enums and types of log, run, tool, rule, result and location objects.
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { type: 'object', required: ['text'] },
                        defaultConfiguration: {
                          type: 'object',
                          properties: { level: { enum: ['none', 'note', 'warning', 'error'] } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          invocations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['executionSuccessful'],
              properties: { executionSuccessful: { type: 'boolean' } },
            },
          },
          artifacts: {
            type: 'array',
            items: { type: 'object', properties: { length: { type: 'integer', minimum: -1 } } },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            properties: { uri: { type: 'string', format: 'uri-reference' } },
                          },
                        },
                      },
                      logicalLocations: {
                        type: 'array',
                        items: { type: 'object', properties: { fullyQualifiedName: { type: 'string' } } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const report: ScanReport = {
  files: [
    {
      path: '/models/model.bin',
      format: 'pytorch-zip',
      verdict: 'malicious',
      size: 10,
      findings: [
        {
          rule: RULES.dangerousGlobal.id,
          severity: 'critical',
          message: 'imports os.system',
          location: '/models/model.bin!archive/data.pkl@2',
          references: ['CWE-502'],
        },
      ],
    },
    {
      path: 'relative dir/broken.pt',
      format: 'unknown',
      verdict: 'error',
      size: 0,
      findings: [],
      error: 'cannot open',
    },
  ],
  summary: { files: 2, clean: 0, suspicious: 0, malicious: 1, error: 1, bytes: 10, durationMs: 1 },
};

describe('renderSarif', () => {
  it('produces a SARIF 2.1.0 log with rule indexes, levels and error notifications', () => {
    // ajv-formats is CommonJS; its default export is the plugin function.
    const addFormats = addFormatsModule as unknown as (instance: Ajv) => void;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const log = JSON.parse(renderSarif(report, { toolVersion: '1.2.3' }));
    const valid = ajv.validate(SARIF_SUBSET, log);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const run = log.runs[0];
    expect(run.results[0].level).toBe('error');
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe('pickle.dangerous-global');
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.artifacts[1].location.uri).toBe('relative%20dir/broken.pt');
  });
});
