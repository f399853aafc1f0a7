import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Ajv, Options } from 'ajv';
import ajvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules.js';
import { scanFile, scanPaths } from '../scan-paths.js';
import { buildSafetensors } from '../test-support/format-builders.js';
import { callPickle, torchStateDictPickle } from '../test-support/pickle-builder.js';
import { buildZip } from '../test-support/zip-builder.js';
import type { ScanReport } from '../types.js';
import { renderSarif } from './render-sarif.js';

// The official SARIF 2.1.0 JSON schema (JSON Schema draft-04) as shipped by @microsoft/jest-sarif; read
// from node_modules, never fetched.
const require = createRequire(import.meta.url);
const schemaPath = join(
  dirname(require.resolve('@microsoft/jest-sarif/package.json')),
  'lib',
  'schemas',
  'sarif-2.1.0-rtm.5.json',
);

function sarifValidator(): (log: unknown) => unknown[] {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // ajv-draft-04 and ajv-formats are CommonJS; their default exports are the class and the plugin.
  const AjvDraft04 = ajvDraft04Module as unknown as new (options: Options) => Ajv;
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => void;
  // The schema's `language` pattern has a stray "]" that is only legal without the regex `u` flag.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? [] : (validate.errors ?? [{ message: 'invalid' }]));
}

const handWritten: ScanReport = {
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

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'aegis-sarif-'));
  mkdirSync(join(folder, 'with space #1'), { recursive: true });
  writeFileSync(
    join(folder, 'model.safetensors'),
    buildSafetensors({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }),
  );
  writeFileSync(
    join(folder, 'with space #1', 'pytorch_model.bin'),
    buildZip([{ name: 'archive/data.pkl', data: torchStateDictPickle() }]),
  );
  writeFileSync(join(folder, 'evil.pkl'), callPickle({ module: 'os', name: 'system', args: ['id'] }));
  writeFileSync(join(folder, 'notes.bin'), new Uint8Array([1, 2, 3, 0, 255]));
  writeFileSync(
    join(folder, 'truncated.pkl'),
    callPickle({ module: 'mypackage', name: 'Layer' }).subarray(0, 9),
  );
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('renderSarif', () => {
  const validate = sarifValidator();

  it('produces a SARIF 2.1.0 log with rule indexes, levels and error notifications', () => {
    const log = JSON.parse(renderSarif(handWritten, { toolVersion: '1.2.3' }));
    expect(validate(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.results[0].level).toBe('error');
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe('pickle.dangerous-global');
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.artifacts[1].location.uri).toBe('relative%20dir/broken.pt');
  });

  it('renders real scans that validate against the official schema', async () => {
    const report = await scanPaths([folder]);
    expect(report.summary.malicious).toBeGreaterThan(0);
    // A file that disappears between listing and scanning: an error verdict and a notification.
    const missing = scanFile(join(folder, 'missing.bin'));
    expect(missing.verdict).toBe('error');
    report.files.push(missing);
    const log = JSON.parse(renderSarif(report, { toolVersion: '0.0.0-test' }));
    expect(validate(log)).toEqual([]);
    const results = log.runs[0].results as Array<{ ruleId: string; locations: unknown[] }>;
    expect(results.map((result) => result.ruleId)).toContain('pickle.dangerous-global');
    const artifacts = log.runs[0].artifacts as Array<{ location: { uri: string }; length: number }>;
    expect(artifacts.find((artifact) => artifact.location.uri.endsWith('missing.bin'))?.length).toBe(-1);
    expect(artifacts.some((artifact) => artifact.location.uri.includes('with%20space%20%231'))).toBe(true);
  });

  it('rejects a log the schema forbids (the validator is not a no-op)', () => {
    const log = JSON.parse(renderSarif(handWritten, { toolVersion: '1.2.3' }));
    log.runs[0].results[0].level = 'fatal';
    log.runs[0].tool.driver.unexpected = true;
    expect(validate(log).length).toBeGreaterThan(0);
  });
});
