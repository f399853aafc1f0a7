import type { AsyncDetector, DetectContext, Detector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { type Family, type Finding, spanIsValid } from '../spec/finding.js';
import type { Role } from '../spec/role.js';
import type { Normalizer } from '../spec/text.js';

/** A detector failure as recorded in a verdict. */
export interface DetectorError {
  detector: string;
  family: Family;
  code: string;
  message: string;
}

/** Findings and failures of the detectors that ran over one text. */
export interface Collected {
  findings: Finding[];
  errors: DetectorError[];
}

/** What the detectors of one text need. */
export interface CollectOptions {
  text: string;
  role: Role;
  detectors: readonly Detector[];
  normalize: Normalizer;
  context: Omit<DetectContext, 'role' | 'normalized'>;
}

/** Error text safe to record: our own errors keep their message; others are cut short. */
function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof AegisError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: ERROR_CODES.DETECTOR_FAILED, message: message.slice(0, 160) };
}

function invalidSpanError(detector: { id: string; family: Family }): DetectorError {
  return {
    detector: detector.id,
    family: detector.family,
    code: ERROR_CODES.DETECTOR_FAILED,
    message: 'detector returned a finding whose span lies outside the text',
  };
}

function accept(options: {
  detector: { id: string; family: Family };
  found: readonly Finding[];
  textLength: number;
  into: Collected;
}): void {
  const { detector, found, textLength, into } = options;
  for (const finding of found) {
    if (!spanIsValid(finding, textLength)) {
      into.errors.push(invalidSpanError(detector));
      return;
    }
  }
  for (const finding of found) into.findings.push(finding);
}

/** Builds the detector context (normalizing the text once) for one text. */
export function buildContext(options: CollectOptions): DetectContext {
  const { context } = options;
  return {
    role: options.role,
    normalized: options.normalize(options.text),
    systemPrompt: context.systemPrompt,
    canaries: context.canaries,
    allowedHosts: context.allowedHosts,
  };
}

/**
 * Runs each detector over the text once, sharing one normalized view. A throwing detector is recorded
 * as an error (the caller applies the family's fail mode); the others still run.
 */
export function collectFindings(options: CollectOptions, context: DetectContext): Collected {
  const collected: Collected = { findings: [], errors: [] };
  for (const detector of options.detectors) {
    try {
      const found = detector.detect(options.text, context);
      if (found.length > 0) accept({ detector, found, textLength: options.text.length, into: collected });
    } catch (error) {
      collected.errors.push({ detector: detector.id, family: detector.family, ...describeError(error) });
    }
  }
  return collected;
}

/** Runs asynchronous detectors concurrently and adds their findings and failures to `collected`. */
export async function collectAsyncFindings(options: {
  detectors: readonly AsyncDetector[];
  text: string;
  context: DetectContext;
  collected: Collected;
}): Promise<void> {
  const results = await Promise.allSettled(
    options.detectors.map((detector) => detector.detect(options.text, options.context)),
  );
  results.forEach((result, index) => {
    const detector = options.detectors[index]!;
    if (result.status === 'fulfilled') {
      accept({ detector, found: result.value, textLength: options.text.length, into: options.collected });
    } else {
      options.collected.errors.push({
        detector: detector.id,
        family: detector.family,
        ...describeError(result.reason),
      });
    }
  });
}
