import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { DetectContext, Detector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { PiiFinding } from '../spec/finding.js';
import type { PiiCandidate, Recognizer, ScanInput } from './pii/candidate.js';
import { piiEvidence } from './pii/evidence.js';
import { PII_RECOGNIZERS, PII_TYPES } from './pii/recognizers.js';
import { resolveOverlaps } from './pii/resolve-overlaps.js';
import { createScanInput } from './pii/scan-input.js';

/**
 * Scores below this are weak signals (a bare nine-digit number, a private IP address, a lone
 * checksum-free ID without context) and are not reported unless `minScore` is lowered.
 */
export const PII_DEFAULT_MIN_SCORE = 0.5;

const OptionsSchema = z
  .object({
    /** Region for phone numbers written without a country code (ISO 3166-1 alpha-2). */
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .refine((region) => isSupportedCountry(region), 'unsupported region')
      .default('US'),
    /** Findings with a lower score are dropped. */
    minScore: z.number().min(0).max(1).default(PII_DEFAULT_MIN_SCORE),
    /** Entity types to report (default: all). */
    types: z.array(z.string().refine((type) => PII_TYPES.includes(type), 'unknown PII type')).optional(),
  })
  .strict();

/** Options of `createPiiDetector`. */
export type PiiDetectorOptions = z.input<typeof OptionsSchema>;

function parseOptions(options: unknown): z.output<typeof OptionsSchema> {
  const parsed = OptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  throw new AegisError(ERROR_CODES.CONFIG_INVALID, `invalid pii detector option ${key}: ${issue?.message}`, {
    details: { detector: 'pii', key },
  });
}

/** Creates the `pii` detector: personal data found with checksums, formats, gazetteers and context words. */
export function createPiiDetector(options?: PiiDetectorOptions | Record<string, unknown>): Detector {
  const settings = parseOptions(options);
  const wanted = settings.types === undefined ? undefined : new Set(settings.types);
  const recognizers: readonly Recognizer[] = wanted
    ? PII_RECOGNIZERS.filter((recognizer) => recognizer.types.some((type) => wanted.has(type)))
    : PII_RECOGNIZERS;
  return {
    id: 'pii',
    family: 'pii',
    detect(text: string, context: DetectContext): PiiFinding[] {
      if (typeof text !== 'string') {
        throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'pii detector expects a string');
      }
      // Scan the normalized view when there is one (fullwidth digits, invisible characters inside a
      // card number), and map spans back so they point at the caller's text.
      const view = context?.normalized;
      const normalized = view?.changed && view.original === text ? view : undefined;
      const scanned = normalized ? normalized.text : text;
      const input: ScanInput = createScanInput(scanned, settings.defaultRegion);
      const candidates: PiiCandidate[] = [];
      for (const recognizer of recognizers) {
        // Most texts hold no long number and many no digit: the recognizers that need one are not
        // called at all (each would answer the same from the cached fact, after a call that costs more).
        const needs = recognizer.needs;
        if (needs !== undefined && !(needs === 'digit' ? input.hasDigit : input.hasLongNumber)) continue;
        const found = recognizer.find(input);
        for (let index = 0; index < found.length; index += 1) {
          const candidate = found[index]!;
          if (candidate.score < settings.minScore) continue;
          if (wanted && !wanted.has(candidate.type)) continue;
          candidates.push(candidate);
        }
      }
      // Most texts hold no personal data: skip the overlap pass and the mapping.
      if (candidates.length === 0) return [];
      return resolveOverlaps(candidates, scanned.length).map((candidate) => {
        const start = normalized ? normalized.toOriginal(candidate.start) : candidate.start;
        const end = normalized ? normalized.toOriginal(candidate.end) : candidate.end;
        return {
          detector: 'pii',
          family: 'pii',
          category: 'sensitive-data',
          type: candidate.type,
          severity: candidate.severity,
          score: candidate.score,
          start,
          end,
          ruleId: candidate.ruleId,
          evidence: piiEvidence(candidate.type, text.slice(start, end)),
        } satisfies PiiFinding;
      });
    },
  };
}
