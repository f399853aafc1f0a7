import { gunzipSync, inflateSync } from 'node:zlib';
import { type ByteSource, createBufferSource } from '../byte-source.js';
import { makeFinding } from '../finding.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import type { ScanContext } from './scan-context.js';

/**
 * Decompresses a whole-file gzip or zlib stream (joblib's compressed pickles) within the inflated-size
 * budget. Returns the decompressed source, or findings explaining why nothing could be scanned.
 */
export function decompress(
  source: ByteSource,
  kind: 'gzip' | 'zlib',
  context: ScanContext,
): { inner: ByteSource; findings: ScanFinding[] } | { findings: ScanFinding[] } {
  const maxOutputLength = Math.max(1, Math.min(context.limits.maxMemberBytes, context.budget.inflatedBytes));
  if (source.size > context.limits.maxMemberBytes) {
    return {
      findings: [
        makeFinding({
          rule: RULES.archiveLimit,
          message: `compressed file of ${source.size} bytes exceeds the limit`,
          location: context.location,
        }),
      ],
    };
  }
  try {
    const compressed = source.read(0, source.size);
    const output =
      kind === 'gzip'
        ? gunzipSync(compressed, { maxOutputLength })
        : inflateSync(compressed, { maxOutputLength });
    context.budget.inflatedBytes -= output.length;
    const findings: ScanFinding[] = [];
    if (output.length > 1024 * 1024 && output.length > source.size * context.limits.maxCompressionRatio) {
      findings.push(
        makeFinding({
          rule: RULES.compressionRatio,
          message: `${kind} stream expands ${Math.round(output.length / source.size)}×`,
          location: context.location,
        }),
      );
    }
    return { inner: createBufferSource(output), findings };
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    return {
      findings: [
        makeFinding({
          rule: tooLarge ? RULES.compressionRatio : RULES.cannotDecompress,
          message: tooLarge
            ? `${kind} stream inflates beyond ${maxOutputLength} bytes`
            : `${kind} stream is damaged and was not scanned`,
          location: context.location,
        }),
      ],
    };
  }
}
