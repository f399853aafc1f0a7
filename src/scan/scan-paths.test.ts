import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { renderJson } from './report/render-json.js';
import { renderSarif } from './report/render-sarif.js';
import { renderText } from './report/render-text.js';
import { scanPaths } from './scan-paths.js';
import { buildSafetensors } from './test-support/format-builders.js';
import { callPickle, torchStateDictPickle } from './test-support/pickle-builder.js';
import { buildZip } from './test-support/zip-builder.js';
import type { ScanEvent } from './types.js';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'aegis-scan-'));
  mkdirSync(join(folder, 'nested', 'deeper'), { recursive: true });
  writeFileSync(
    join(folder, 'model.safetensors'),
    buildSafetensors({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }),
  );
  writeFileSync(
    join(folder, 'nested', 'pytorch_model.bin'),
    buildZip([{ name: 'archive/data.pkl', data: torchStateDictPickle() }]),
  );
  // A pickle disguised with an innocent extension.
  writeFileSync(
    join(folder, 'nested', 'deeper', 'weights.txt'),
    callPickle({ module: 'os', name: 'system', args: ['id'] }),
  );
  writeFileSync(join(folder, 'notes.bin'), new Uint8Array([1, 2, 3, 0, 255]));
  symlinkSync(join(folder, 'nested'), join(folder, 'loop'));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('scanPaths', () => {
  it('walks folders, sniffs by content and emits progress events', async () => {
    const events: ScanEvent[] = [];
    const report = await scanPaths([folder], { onEvent: (event) => events.push(event) });
    const byName = Object.fromEntries(report.files.map((file) => [file.path.slice(folder.length + 1), file]));
    expect(Object.keys(byName).sort()).toEqual([
      'model.safetensors',
      'nested/deeper/weights.txt',
      'nested/pytorch_model.bin',
      'notes.bin',
    ]);
    expect(byName['nested/deeper/weights.txt']?.verdict).toBe('malicious');
    expect(byName['nested/deeper/weights.txt']?.format).toBe('pickle');
    expect(byName['nested/pytorch_model.bin']?.format).toBe('pytorch-zip');
    expect(byName['model.safetensors']?.verdict).toBe('clean');
    expect(byName['notes.bin']?.format).toBe('unknown');
    expect(report.summary).toMatchObject({ files: 4, clean: 3, malicious: 1, suspicious: 0, error: 0 });
    expect(events.filter((event) => event.type === 'file-done')).toHaveLength(4);
  });

  it('makes unknown formats suspicious in strict mode', async () => {
    const report = await scanPaths([join(folder, 'notes.bin')], { strict: true });
    expect(report.files[0]?.verdict).toBe('suspicious');
  });

  it('renders text, JSON and SARIF 2.1.0', async () => {
    const report = await scanPaths([folder]);
    expect(renderText(report)).toContain('MALICIOUS');
    const json = JSON.parse(renderJson(report));
    expect(json.files[0]).toHaveProperty('verdict');
    expect(json.summary.files).toBe(4);
    const sarif = JSON.parse(renderSarif(report, { toolVersion: '0.0.0-test' }));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    const result = run.results.find(
      (entry: { ruleId: string }) => entry.ruleId === 'pickle.dangerous-global',
    );
    expect(result.level).toBe('error');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('pickle.dangerous-global');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^file:\/\//);
  });
});

describe('aegis scan model', () => {
  it('exits 0 when clean, 1 on findings, 2 when a path cannot be scanned, and writes reports', async () => {
    const output = join(folder, 'report.sarif');
    expect(
      await main([
        'scan',
        'model',
        join(folder, 'model.safetensors'),
        '--format',
        'json',
        '--output',
        join(folder, 'r.json'),
      ]),
    ).toBe(0);
    expect(await main(['scan', 'model', folder, '--format', 'sarif', '--output', output])).toBe(1);
    expect(await main(['scan', 'model', join(folder, 'missing.bin')])).toBe(2);
    expect(
      await main(['scan', 'model', join(folder, 'notes.bin'), '--strict', '--output', join(folder, 'r.txt')]),
    ).toBe(1);
  });
});

describe('ONNX external data on disk', () => {
  it('reports a relative location that leaves the folder through a symbolic link', async () => {
    const { buildOnnx } = await import('./test-support/format-builders.js');
    const modelFolder = join(folder, 'onnx-model');
    mkdirSync(modelFolder);
    writeFileSync(join(folder, 'outside.bin'), new Uint8Array(16));
    symlinkSync(join(folder, 'outside.bin'), join(modelFolder, 'weights.bin'));
    writeFileSync(join(modelFolder, 'model.onnx'), buildOnnx({ location: 'weights.bin' }));
    const report = await scanPaths([join(modelFolder, 'model.onnx')]);
    expect(report.files[0]?.findings.map((finding) => finding.rule)).toEqual(['onnx.external-data-path']);
    expect(report.files[0]?.findings[0]?.message).toContain('a link to');
  });
});
