import type { ByteSource } from '../byte-source.js';
import { makeFinding } from '../finding.js';
import { decompress } from '../formats/decompress.js';
import type { FormatResult, ScanContext } from '../formats/scan-context.js';
import { scanGguf } from '../formats/scan-gguf.js';
import { scanHdf5 } from '../formats/scan-hdf5.js';
import { scanJson, scanText } from '../formats/scan-json.js';
import { scanNumpy } from '../formats/scan-numpy.js';
import { scanOnnx } from '../formats/scan-onnx.js';
import { scanSafetensors } from '../formats/scan-safetensors.js';
import { scanSavedModel } from '../formats/scan-saved-model.js';
import { scanPickle } from '../pickle/scan-pickle.js';
import { RULES } from '../rules.js';
import { scanTar } from '../zip/scan-tar.js';
import { scanZip } from '../zip/scan-zip.js';
import { sniffFormat } from './sniff-format.js';

/** Result of scanning one source: the format name and every finding. */
export interface SourceResult {
  format: string;
  findings: FormatResult['findings'];
}

// Legacy torch.save (before zip): magic, protocol, sys_info, the object, storage keys; then raw bytes.
const LEGACY_TORCH_PICKLES = 5;
const PARSE_ERRORS = new Set([RULES.truncated.id, RULES.invalidOpcode.id]);

function isInteresting(head: ByteSource): boolean {
  return sniffFormat(head) !== 'unknown';
}

/** Finds the format of `source` from its content and runs the matching scanner (recursively for containers). */
export function scanSource(source: ByteSource, context: ScanContext): SourceResult {
  const sniffed = sniffFormat(source);
  const named = (result: FormatResult, fallback: string): SourceResult => ({
    format: result.format ?? fallback,
    findings: result.findings,
  });
  switch (sniffed) {
    case 'zip':
      return named(scanZip({ source, context, scanMember: scanSource, isInteresting }), 'zip');
    case 'tar':
      return named(scanTar({ source, context, scanMember: scanSource }), 'tar');
    case 'gzip':
    case 'zlib': {
      if (context.depth >= context.limits.maxNestingDepth) {
        return {
          format: sniffed,
          findings: [
            makeFinding({
              rule: RULES.archiveLimit,
              message: 'compressed streams nested too deeply',
              location: context.location,
            }),
          ],
        };
      }
      const outcome = decompress(source, sniffed, context);
      if (!('inner' in outcome)) return { format: sniffed, findings: outcome.findings };
      const inner = scanSource(outcome.inner, {
        ...context,
        depth: context.depth + 1,
        location: `${context.location}!${sniffed}`,
      });
      return { format: `${sniffed}+${inner.format}`, findings: [...outcome.findings, ...inner.findings] };
    }
    case 'bzip2':
    case 'xz':
    case 'lzma':
    case 'lz4':
      return {
        format: sniffed,
        findings: [
          makeFinding({
            rule: RULES.cannotDecompress,
            message: `${sniffed} compression is not supported by the scanner; the content was not checked`,
            location: context.location,
          }),
        ],
      };
    case 'numpy':
      return named(scanNumpy(source, context), 'numpy');
    case 'safetensors':
      return named(scanSafetensors(source, context), 'safetensors');
    case 'gguf':
      return named(scanGguf(source, context), 'gguf');
    case 'hdf5':
      return named(scanHdf5(source, context), 'hdf5');
    case 'onnx':
      return named(scanOnnx(source, context), 'onnx');
    case 'tensorflow-savedmodel':
      return named(scanSavedModel(source, context), 'tensorflow-savedmodel');
    case 'pytorch-legacy': {
      const result = scanPickle({
        source,
        location: context.location,
        limits: context.limits,
        maxPickles: LEGACY_TORCH_PICKLES,
        tailIsData: true,
      });
      return { format: 'pytorch-legacy', findings: result.findings };
    }
    case 'pickle': {
      const result = scanPickle({ source, location: context.location, limits: context.limits });
      // Raw tensor bytes can start like a pickle by chance (0x80 0x02 …). Nothing complete, nothing
      // imported and only parse errors means it is data: the unpickler would fail on it the same way.
      const onlyParseErrors = result.findings.every((finding) => PARSE_ERRORS.has(finding.rule));
      if (result.pickles === 0 && result.globals.length === 0 && onlyParseErrors) {
        return { format: 'unknown', findings: [] };
      }
      const isJoblib = result.globals.some(
        (name) => name.startsWith('joblib.') || name.startsWith('sklearn.'),
      );
      return { format: isJoblib ? 'joblib' : 'pickle', findings: result.findings };
    }
    case 'json':
      return named(scanJson(source, context), 'json');
    case 'text':
      return named(scanText(source, context), 'text');
    default:
      return { format: 'unknown', findings: [] };
  }
}
