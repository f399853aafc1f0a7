import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { ByteSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { ProtobufError, type ProtoField, ProtoReader } from './protobuf-reader.js';
import type { FormatResult, ScanContext } from './scan-context.js';

/**
 * Operator domains that ship inside ONNX Runtime itself. Any other domain needs a custom-op library,
 * i.e. native code the user is asked to load next to the model, so it is reported (medium).
 * `com.microsoft` holds ORT's built-in contrib ops and is treated as standard.
 */
export const STANDARD_ONNX_DOMAINS: ReadonlySet<string> = new Set([
  '',
  'ai.onnx',
  'ai.onnx.ml',
  'ai.onnx.training',
  'ai.onnx.preview.training',
  'com.microsoft',
  'com.microsoft.nchwc',
  'com.microsoft.experimental',
]);

const MAX_GRAPH_DEPTH = 16;

/** True when an external-data location is absolute or climbs out of the model folder. */
export function escapesModelFolder(location: string): boolean {
  const normalized = location.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.startsWith('~')) return true;
  let depth = 0;
  for (const part of normalized.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/** Walks an ONNX ModelProto (onnx/onnx.proto3) for external-data paths and custom operator domains. */
export function scanOnnx(source: ByteSource, context: ScanContext): FormatResult {
  const walker = new OnnxWalker(context);
  try {
    walker.model(new ProtoReader(source, 0, source.size));
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    walker.findings.push(
      makeFinding({
        rule: RULES.protobufMalformed,
        message: `ONNX protobuf is damaged: ${error.message}`,
        location: context.location,
      }),
    );
  }
  return { findings: walker.findings };
}

class OnnxWalker {
  readonly findings: ScanFinding[] = [];
  private readonly domains = new Set<string>();

  constructor(private readonly context: ScanContext) {}

  private domain(domain: string, where: string): void {
    if (STANDARD_ONNX_DOMAINS.has(domain) || this.domains.has(domain)) return;
    this.domains.add(domain);
    this.findings.push(
      makeFinding({
        rule: RULES.onnxCustomDomain,
        message: `operators from custom domain "${printable(domain, 80)}" need a native custom-op library`,
        location: `${this.context.location}:${where}`,
      }),
    );
  }

  model(reader: ProtoReader): void {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      if (field.field === 7) this.graph(reader.child(field), 0);
      else if (field.field === 8) this.opset(reader.child(field));
      else if (field.field === 25) this.function(reader.child(field));
    }
  }

  private opset(reader: ProtoReader): void {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.field === 1 && field.wireType === 2) this.domain(reader.text(field), 'opset_import');
    }
  }

  private function(reader: ProtoReader): void {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.field === 7 && field.wireType === 2) this.node(reader.child(field), 1);
    }
  }

  private graph(reader: ProtoReader, depth: number): void {
    if (depth > MAX_GRAPH_DEPTH) throw new ProtobufError('subgraphs nested too deeply');
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      if (field.field === 1) this.node(reader.child(field), depth);
      else if (field.field === 5) this.tensor(reader.child(field));
      else if (field.field === 15) this.sparseTensor(reader.child(field));
    }
  }

  private sparseTensor(reader: ProtoReader): void {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if ((field.field === 1 || field.field === 2) && field.wireType === 2) this.tensor(reader.child(field));
    }
  }

  private node(reader: ProtoReader, depth: number): void {
    let opType = '';
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      if (field.field === 4) opType = reader.text(field, 256);
      else if (field.field === 7) this.domain(reader.text(field, 256), `node ${printable(opType, 60)}`);
      else if (field.field === 5) this.attribute(reader.child(field), depth);
    }
  }

  private attribute(reader: ProtoReader, depth: number): void {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      // AttributeProto: 5 t, 6 g, 10 graphs, 11 tensors.
      if (field.field === 5 || field.field === 11) this.tensor(reader.child(field));
      else if (field.field === 6 || field.field === 10) this.graph(reader.child(field), depth + 1);
    }
  }

  private tensor(reader: ProtoReader): void {
    let name = '';
    const entries: ProtoField[] = [];
    // TensorProto: 8 name, 9 raw_data (skipped by offset), 13 external_data.
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      if (field.field === 8) name = reader.text(field, 256);
      else if (field.field === 13) entries.push(field);
    }
    for (const entry of entries) this.externalData(reader.child(entry), name);
  }

  private externalData(reader: ProtoReader, tensorName: string): void {
    let key = '';
    let value = '';
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      if (field.field === 1) key = reader.text(field, 256);
      else if (field.field === 2) value = reader.text(field, 4096);
    }
    if (key !== 'location') return;
    const escapes = escapesModelFolder(value);
    const linkTarget = escapes ? undefined : this.symlinkTarget(value);
    if (!escapes && linkTarget === undefined) return;
    const through = linkTarget === undefined ? '' : ` (a link to ${printable(linkTarget, 120)})`;
    this.findings.push(
      makeFinding({
        rule: RULES.onnxExternalData,
        message: `tensor "${printable(tensorName, 60)}" reads external data from "${printable(value, 120)}"${through}`,
        location: `${this.context.location}:tensor ${printable(tensorName, 60)}`,
      }),
    );
  }

  /** For a model file on disk: where a relative location really leads when a link inside the folder points out. */
  private symlinkTarget(location: string): string | undefined {
    const folder = this.context.directory;
    if (folder === undefined || this.context.depth > 0) return undefined;
    try {
      const root = realpathSync(folder);
      const target = realpathSync(resolve(folder, location));
      return target === root || target.startsWith(root + sep) ? undefined : target;
    } catch {
      return undefined; // missing external data is the loader's error, not an escape
    }
  }
}
