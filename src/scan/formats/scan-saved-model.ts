import type { ByteSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { ProtobufError, ProtoReader } from './protobuf-reader.js';
import type { FormatResult, ScanContext } from './scan-context.js';

/**
 * TensorFlow ops that touch the file system, run Python callbacks or load code when a graph runs.
 * Save/Restore ops are left out: every SavedModel's saver uses them on its own variables folder.
 */
export const DANGEROUS_TF_OPS: ReadonlyMap<string, string> = new Map([
  ['ReadFile', 'reads any file'],
  ['WriteFile', 'writes any file'],
  ['MatchingFiles', 'lists files by glob'],
  ['DeleteFile', 'deletes files'],
  ['PyFunc', 'calls a Python function'],
  ['PyFuncStateless', 'calls a Python function'],
  ['EagerPyFunc', 'calls a Python function'],
  ['ImmutableConst', 'memory-maps a file'],
  ['WholeFileReader', 'reads whole files'],
  ['WholeFileReaderV2', 'reads whole files'],
  ['TextLineReader', 'reads files'],
  ['TextLineReaderV2', 'reads files'],
  ['FixedLengthRecordReader', 'reads files'],
  ['FixedLengthRecordReaderV2', 'reads files'],
  ['TFRecordReader', 'reads files'],
  ['TFRecordReaderV2', 'reads files'],
  ['LMDBReader', 'reads databases'],
  ['FileSystemSetConfiguration', 'reconfigures file systems'],
  ['DebugIdentityV2', 'writes debug dumps to a folder'],
  ['DebugIdentityV3', 'writes debug dumps to a folder'],
  ['PrintV2', 'can write to a file named by output_stream'],
  ['LoadAndRemapMatrix', 'reads checkpoint files'],
]);

const MAX_DEPTH = 16;

/** Walks saved_model.pb (tensorflow/core/protobuf/saved_model.proto, meta_graph.proto, graph.proto) for dangerous ops. */
export function scanSavedModel(source: ByteSource, context: ScanContext): FormatResult {
  const findings: ScanFinding[] = [];
  const seen = new Set<string>();
  const report = (op: string, node: string): void => {
    const reason = DANGEROUS_TF_OPS.get(op);
    if (reason === undefined || seen.has(op)) return;
    seen.add(op);
    findings.push(
      makeFinding({
        rule: RULES.tensorflowOp,
        message: `graph uses ${op} (${reason})`,
        location: `${context.location}:node ${printable(node, 80)}`,
      }),
    );
  };
  const nodeDef = (reader: ProtoReader): void => {
    let name = '';
    let op = '';
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      if (field.field === 1) name = reader.text(field, 256);
      else if (field.field === 2) op = reader.text(field, 256);
    }
    report(op, name);
  };
  // FunctionDefLibrary.function (1) → FunctionDef.node_def (3); GraphDef.node (1), GraphDef.library (2).
  const functionDef = (reader: ProtoReader): void => {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.field === 3 && field.wireType === 2) nodeDef(reader.child(field));
    }
  };
  const library = (reader: ProtoReader): void => {
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.field === 1 && field.wireType === 2) functionDef(reader.child(field));
    }
  };
  const graphDef = (reader: ProtoReader, depth: number): void => {
    if (depth > MAX_DEPTH) throw new ProtobufError('graphs nested too deeply');
    for (let field = reader.next(); field !== null; field = reader.next()) {
      if (field.wireType !== 2) continue;
      if (field.field === 1) nodeDef(reader.child(field));
      else if (field.field === 2) library(reader.child(field));
    }
  };
  try {
    const root = new ProtoReader(source, 0, source.size);
    for (let field = root.next(); field !== null; field = root.next()) {
      if (field.field !== 2 || field.wireType !== 2) continue;
      const metaGraph = root.child(field);
      for (let inner = metaGraph.next(); inner !== null; inner = metaGraph.next()) {
        if (inner.field === 2 && inner.wireType === 2) graphDef(metaGraph.child(inner), 0);
      }
    }
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    findings.push(
      makeFinding({
        rule: RULES.protobufMalformed,
        message: `SavedModel protobuf is damaged: ${error.message}`,
        location: context.location,
      }),
    );
  }
  return { findings };
}
