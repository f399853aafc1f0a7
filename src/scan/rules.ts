import type { Severity } from '../spec/severity.js';

/** One entry of the scan rule catalogue: stable id, default severity and references. */
export interface ScanRule {
  id: string;
  severity: Severity;
  title: string;
  references: readonly string[];
}

// MITRE ATLAS v5: AML.T0010.003 "AI Supply Chain Compromise: Model", AML.T0011.000 "User Execution:
// Unsafe AI Artifacts". CWE-502 Deserialization of Untrusted Data.
const CODE_EXECUTION = ['CWE-502', 'AML.T0010.003', 'AML.T0011.000'] as const;
const ARCHIVE = ['AML.T0010.003'] as const;

function rule(id: string, severity: Severity, title: string, references: readonly string[]): ScanRule {
  return Object.freeze({ id, severity, title, references: Object.freeze([...references]) });
}

/** Every rule a model scan can report. Ids are stable and never reused. */
export const RULES = {
  // pickle virtual machine
  dangerousGlobal: rule(
    'pickle.dangerous-global',
    'critical',
    'Pickle imports a known-dangerous callable',
    CODE_EXECUTION,
  ),
  nestedLoader: rule('pickle.nested-loader', 'critical', 'Pickle calls another deserializer', CODE_EXECUTION),
  partialWrapper: rule(
    'pickle.partial-wrapper',
    'critical',
    'functools.partial wraps a non-allowlisted callable',
    CODE_EXECUTION,
  ),
  unknownGlobal: rule(
    'pickle.unknown-global',
    'medium',
    'Pickle imports a global outside the allowlist',
    CODE_EXECUTION,
  ),
  unresolvedGlobal: rule(
    'pickle.unresolved-global',
    'high',
    'STACK_GLOBAL/INST name could not be resolved statically',
    CODE_EXECUTION,
  ),
  computedCall: rule(
    'pickle.computed-call',
    'medium',
    'Pickle calls a value that is not a resolved global',
    CODE_EXECUTION,
  ),
  codecsMisuse: rule(
    'pickle.codecs-misuse',
    'medium',
    '_codecs.encode used outside the NumPy bytes idiom',
    CODE_EXECUTION,
  ),
  unknownExtension: rule(
    'pickle.unknown-extension',
    'medium',
    'EXT opcode refers to the copyreg extension registry',
    CODE_EXECUTION,
  ),
  truncated: rule('pickle.truncated', 'low', 'Pickle stream ends before STOP', ['CWE-502']),
  invalidOpcode: rule('pickle.invalid-opcode', 'low', 'Invalid pickle opcode or operand', ['CWE-502']),
  trailingData: rule('pickle.trailing-data', 'info', 'Bytes after the last pickle are not a pickle', [
    'CWE-502',
  ]),
  embeddedPickle: rule('pickle.embedded-pickle', 'info', 'A bytes value holds another pickle (scanned)', [
    'CWE-502',
  ]),
  globalMutation: rule(
    'pickle.global-mutation',
    'high',
    'BUILD sets attributes on an imported class, function or module',
    CODE_EXECUTION,
  ),
  pickleLimit: rule(
    'pickle.limit-exceeded',
    'medium',
    'Pickle exceeds an emulator limit; rest not analysed',
    ['CWE-400'],
  ),
  // archives
  pathTraversal: rule('archive.path-traversal', 'high', 'Archive member path is absolute or climbs out', [
    'CWE-22',
    ...ARCHIVE,
  ]),
  symlink: rule('archive.symlink', 'high', 'Archive member is a symbolic or hard link', [
    'CWE-59',
    ...ARCHIVE,
  ]),
  compressionRatio: rule(
    'archive.compression-ratio',
    'high',
    'Member expands far beyond its compressed size',
    ['CWE-409'],
  ),
  archiveLimit: rule('archive.limit-exceeded', 'medium', 'Archive exceeds a size, count or nesting limit', [
    'CWE-400',
  ]),
  cannotDecompress: rule(
    'archive.cannot-decompress',
    'medium',
    'Compressed content could not be decompressed and was not scanned',
    ['CWE-502'],
  ),
  zipFlagBits: rule(
    'zip.flag-bits',
    'medium',
    'Zip member sets encryption or unusual flag bits that PyTorch ignores',
    ['CVE-2025-1945', ...ARCHIVE],
  ),
  zipNameMismatch: rule(
    'zip.name-mismatch',
    'high',
    'Local file header disagrees with the central directory',
    ['CVE-2025-1944', ...ARCHIVE],
  ),
  zipCrc: rule('zip.crc-mismatch', 'medium', 'Zip member CRC-32 does not match its data', ['CWE-354']),
  zipMalformed: rule('zip.malformed', 'low', 'Zip structure is damaged', ['CWE-20']),
  tarMalformed: rule('tar.malformed', 'low', 'Tar structure is damaged', ['CWE-20']),
  zipMethod: rule(
    'zip.unsupported-method',
    'medium',
    'Zip member uses a compression method that cannot be checked',
    ['CWE-502'],
  ),
  // safetensors
  safetensorsHeader: rule('safetensors.header-invalid', 'medium', 'safetensors header is invalid', [
    'CWE-20',
  ]),
  safetensorsOffsets: rule(
    'safetensors.bad-offsets',
    'medium',
    'Tensor offsets are out of range, overlap or leave gaps',
    ['CWE-20'],
  ),
  safetensorsLength: rule(
    'safetensors.length-mismatch',
    'medium',
    'Tensor byte length differs from dtype × shape',
    ['CWE-20'],
  ),
  safetensorsMetadata: rule(
    'safetensors.metadata-suspicious',
    'medium',
    'Metadata holds code or shell commands',
    ['AML.T0010.003'],
  ),
  // numpy
  numpyHeader: rule('numpy.header-invalid', 'low', '.npy header is invalid', ['CWE-20']),
  numpyObject: rule('numpy.object-array', 'info', '.npy holds an object array (a pickle, scanned)', [
    'CWE-502',
  ]),
  // onnx / tensorflow
  onnxExternalData: rule(
    'onnx.external-data-path',
    'high',
    'external_data location is absolute or leaves the model folder',
    ['CVE-2022-25882', 'CVE-2024-27318', 'CWE-22', ...ARCHIVE],
  ),
  onnxCustomDomain: rule(
    'onnx.custom-op-domain',
    'medium',
    'Graph uses operators from a custom domain (native code at load time)',
    ['AML.T0010.003'],
  ),
  protobufMalformed: rule('protobuf.malformed', 'low', 'Protobuf structure is damaged', ['CWE-20']),
  tensorflowOp: rule(
    'tensorflow.dangerous-op',
    'high',
    'SavedModel graph uses file-system or Python-callback operations',
    ['AML.T0010.003', 'AML.T0011.000'],
  ),
  // keras
  kerasLambda: rule('keras.lambda-layer', 'high', 'Keras Lambda layer carries serialized Python code', [
    'CVE-2024-3660',
    ...CODE_EXECUTION,
  ]),
  kerasModule: rule('keras.foreign-module', 'medium', 'Keras config refers to a module outside keras', [
    'CVE-2025-1550',
    ...CODE_EXECUTION,
  ]),
  kerasGetFile: rule('keras.get-file', 'high', 'Keras config calls get_file (download at load time)', [
    'CWE-494',
    'AML.T0010.003',
  ]),
  kerasConfig: rule('keras.config-invalid', 'low', 'Keras model config could not be parsed', ['CWE-20']),
  // gguf and chat templates
  ggufHeader: rule('gguf.header-invalid', 'medium', 'GGUF header or metadata is invalid', ['CWE-20']),
  templateEscape: rule(
    'template.sandbox-escape',
    'critical',
    'Chat template reaches Python internals (Jinja sandbox escape)',
    ['CVE-2024-34359', 'CWE-1336', 'AML.T0010.003', 'AML.T0011.000'],
  ),
  templateSuspicious: rule(
    'template.suspicious',
    'medium',
    'Chat template uses unusual attribute or filter access',
    ['CWE-1336'],
  ),
  templateParse: rule('template.parse-error', 'low', 'Chat template could not be parsed', ['CWE-1336']),
  // whole file
  formatUnknown: rule('format.unknown', 'info', 'File format not recognised; nothing was checked', []),
  scanLimit: rule('scan.limit-exceeded', 'medium', 'File exceeds a scan limit; part of it was not checked', [
    'CWE-400',
  ]),
} as const;

/** Looks up a rule by id. */
export function ruleById(id: string): ScanRule | undefined {
  return Object.values(RULES).find((entry) => entry.id === id);
}
