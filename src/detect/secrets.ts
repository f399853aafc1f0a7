import { z } from 'zod';
import type { DetectContext, Detector } from '../spec/detector.js';
import type { SecretFinding } from '../spec/finding.js';
import { parseDetectorOptions } from './parse-detector-options.js';
import { genericAssignmentMatcher } from './secrets/generic-assignment.js';
import { jwtMatcher } from './secrets/jwt.js';
import { maskSecret } from './secrets/mask.js';
import type { Matcher, SecretMatch } from './secrets/matcher.js';
import { pemPrivateKeyMatcher, puttyPrivateKeyMatcher } from './secrets/private-keys.js';
import { PROVIDER_RULES } from './secrets/provider-rules.js';
import { compileRule } from './secrets/rule-matcher.js';
import { createSecretScanner, resolveOverlaps } from './secrets/scanner.js';
import { urlPasswordMatcher } from './secrets/url-password.js';

const optionsSchema = z
  .object({
    /** Rule ids to turn off, e.g. `secrets.twilio-account-sid`. */
    disabledRules: z.array(z.string()).optional(),
    /** Report values assigned to secret-looking names (default true). */
    generic: z.boolean().optional(),
    /** Report documented example keys at severity `info` (default true). */
    reportExamples: z.boolean().optional(),
  })
  .strict();

/** Options of `createSecretsDetector`. */
export type SecretsDetectorOptions = z.infer<typeof optionsSchema>;

/** The structural matchers that are not provider formats: keys, JWTs, URLs, generic assignments. */
const STRUCTURAL_MATCHERS: readonly { id: string; matcher: Matcher }[] = [
  { id: 'secrets.private-key', matcher: pemPrivateKeyMatcher },
  { id: 'secrets.private-key-putty', matcher: puttyPrivateKeyMatcher },
  { id: 'secrets.jwt', matcher: jwtMatcher },
  { id: 'secrets.url-password', matcher: urlPasswordMatcher },
  { id: 'secrets.generic', matcher: genericAssignmentMatcher },
];

function parseOptions(options: unknown): SecretsDetectorOptions {
  return parseDetectorOptions({ detector: 'secrets', schema: optionsSchema, options });
}

/**
 * Finds credentials: 160+ provider key formats, private keys, JWTs, URLs with passwords and high-entropy
 * values assigned to secret-looking names. Evidence is masked; spans cover the value only.
 */
export function createSecretsDetector(options?: SecretsDetectorOptions): Detector {
  const settings = parseOptions(options);
  const disabled = new Set(settings.disabledRules ?? []);
  const matchers: Matcher[] = PROVIDER_RULES.filter((rule) => !disabled.has(rule.id)).map(compileRule);
  for (const entry of STRUCTURAL_MATCHERS) {
    if (disabled.has(entry.id)) continue;
    if (entry.matcher === genericAssignmentMatcher && settings.generic === false) continue;
    matchers.push(entry.matcher);
  }
  const scanner = createSecretScanner(matchers);
  const reportExamples = settings.reportExamples ?? true;

  function toFinding(original: string, match: SecretMatch): SecretFinding {
    return {
      detector: 'secrets',
      family: 'secrets',
      category: 'secret',
      type: match.type,
      severity: match.severity,
      score: match.score,
      start: match.start,
      end: match.end,
      ruleId: match.ruleId,
      evidence: maskSecret(original.slice(match.start, match.end)),
      ...(match.example ? { example: true } : {}),
    };
  }

  return {
    id: 'secrets',
    family: 'secrets',
    detect(text: string, context?: DetectContext): SecretFinding[] {
      let matches = scanner.scan(text);
      const normalized = context?.normalized;
      // Obfuscated keys (full-width letters, invisible separators) show up only in the normalized view.
      if (normalized?.changed && normalized.original === text) {
        for (const match of scanner.scan(normalized.text)) {
          const start = normalized.toOriginal(match.start);
          const end = normalized.toOriginal(match.end);
          if (end > start) matches.push({ ...match, start, end, priority: match.priority - 0.5 });
        }
      }
      // Most texts hold no secret: no overlap, filter or finding lists to build.
      if (matches.length === 0) return [];
      matches = resolveOverlaps(matches).filter(
        (match) => !disabled.has(match.ruleId) && (reportExamples || !match.example),
      );
      return matches.map((match) => toFinding(text, match));
    },
  };
}
