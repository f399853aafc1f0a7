import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { FileReport, ScanReport } from '../scan/types.js';
import { hashModelFiles } from './hash-files.js';
import { listModelFiles, type ModelFile } from './model-files.js';

/** Formats that are not model weights or graphs (CycloneDX component type `file` rather than `machine-learning-model`). */
const NON_MODEL_FORMATS = new Set([
  'json',
  'text',
  'unknown',
  'jinja-template',
  'tokenizer-config',
  'keras-config',
]);

/** Options of `buildAibom`. */
export interface BuildAibomOptions {
  modelName: string;
  files: readonly { name: string; size: number; sha256: string }[];
  /** Scan results by file name (relative to the model root). */
  scan: ReadonlyMap<string, FileReport>;
  /** Parsed `config.json` of the model, when present (architecture details for the model card). */
  config?: Record<string, unknown>;
  toolVersion: string;
  timestamp?: Date;
  serialNumber?: string;
}

function property(name: string, value: string | number): { name: string; value: string } {
  return { name, value: String(value) };
}

function modelParameters(config: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!config) return undefined;
  const architectures = Array.isArray(config.architectures)
    ? config.architectures.filter((item) => typeof item === 'string')
    : [];
  const family = typeof config.model_type === 'string' ? config.model_type : undefined;
  if (architectures.length === 0 && !family) return undefined;
  return {
    ...(family ? { architectureFamily: family } : {}),
    ...(architectures[0] ? { modelArchitecture: architectures[0] } : {}),
  };
}

/**
 * Builds a CycloneDX 1.6 ML-BOM (ecma-424 / cyclonedx.org/docs/1.6/json): the model as the metadata
 * component, each file as a component with its SHA-256, detected format and scan verdict.
 */
export function buildAibom(options: BuildAibomOptions): Record<string, unknown> {
  const components = options.files.map((file) => {
    const report = options.scan.get(file.name);
    const format = report?.format ?? 'unknown';
    const findings = report?.findings ?? [];
    return {
      type: NON_MODEL_FORMATS.has(format) ? 'file' : 'machine-learning-model',
      'bom-ref': `file:${file.name}`,
      name: file.name,
      hashes: [{ alg: 'SHA-256', content: file.sha256 }],
      properties: [
        property('aegis:file:size', file.size),
        property('aegis:file:format', format),
        property('aegis:scan:verdict', report?.verdict ?? 'error'),
        property('aegis:scan:findings', findings.length),
        ...findings
          .slice(0, 50)
          .map((finding) =>
            property(`aegis:scan:finding:${finding.rule}`, `${finding.severity}: ${finding.message}`),
          ),
      ],
    };
  });
  const verdicts = [...options.scan.values()].map((report) => report.verdict);
  const overall = verdicts.includes('malicious')
    ? 'malicious'
    : verdicts.includes('error')
      ? 'error'
      : verdicts.includes('suspicious')
        ? 'suspicious'
        : 'clean';
  const parameters = modelParameters(options.config);
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (options.timestamp ?? new Date()).toISOString(),
      tools: { components: [{ type: 'application', name: 'aegis', version: options.toolVersion }] },
      component: {
        type: 'machine-learning-model',
        'bom-ref': `model:${options.modelName}`,
        name: options.modelName,
        ...(parameters ? { modelCard: { modelParameters: parameters } } : {}),
        properties: [property('aegis:scan:verdict', overall), property('aegis:files', options.files.length)],
      },
    },
    components,
    dependencies: [
      { ref: `model:${options.modelName}`, dependsOn: components.map((component) => component['bom-ref']) },
    ],
  };
}

/** Options of `createAibom`. */
export interface CreateAibomOptions {
  modelPath: string;
  /** Scans the files (the CLI passes the model scanner); results are keyed by absolute path. */
  scan: (paths: string[]) => Promise<ScanReport>;
  toolVersion: string;
  allowSymlinks?: boolean;
}

async function readConfig(files: readonly ModelFile[]): Promise<Record<string, unknown> | undefined> {
  const config = files.find((file) => file.name === 'config.json');
  if (!config || config.size > 1_000_000) return undefined;
  try {
    const parsed: unknown = JSON.parse(await readFile(config.path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Hashes and scans a model directory (or file) and returns its CycloneDX 1.6 ML-BOM. */
export async function createAibom(options: CreateAibomOptions): Promise<Record<string, unknown>> {
  const modelPath = resolve(options.modelPath);
  const listing = await listModelFiles({ modelPath, allowSymlinks: options.allowSymlinks ?? false });
  const digests = await hashModelFiles({
    files: listing.files,
    hashType: 'sha256',
    method: { kind: 'files' },
  });
  const digestByName = new Map(digests.map((resource) => [resource.name, resource.digest]));
  const report = await options.scan(listing.files.map((file) => file.path));
  const scanByName = new Map<string, FileReport>();
  for (const fileReport of report.files) {
    const name = listing.singleFile
      ? listing.modelName
      : relative(modelPath, resolve(fileReport.path)).split('\\').join('/');
    scanByName.set(name, fileReport);
  }
  return buildAibom({
    modelName: listing.modelName,
    files: listing.files.map((file) => ({
      name: file.name,
      size: file.size,
      sha256: digestByName.get(file.name) ?? '',
    })),
    scan: scanByName,
    config: await readConfig(listing.files),
    toolVersion: options.toolVersion,
  });
}
