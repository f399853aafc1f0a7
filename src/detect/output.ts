import { z } from 'zod';
import type { DetectContext, Detector } from '../spec/detector.js';
import type { OutputFinding } from '../spec/finding.js';
import { identityText, type NormalizedText } from '../spec/text.js';
import { findCanaryLeaks } from './output/canary-leak.js';
import { findCodeSpans } from './output/code-spans.js';
import { createHostAllowlist } from './output/host-allowlist.js';
import { findHtmlPayloads } from './output/html-payloads.js';
import { findMarkdownExfiltration } from './output/markdown-exfiltration.js';
import { type OutputMatch, severityForScore } from './output/output-match.js';
import { createPayloadRunner } from './output/payload-rule.js';
import { SHELL_EXFILTRATION_RULES } from './output/shell-exfiltration.js';
import { SHELL_INJECTION_RULES } from './output/shell-injection.js';
import { SQL_INJECTION_RULES } from './output/sql-injection.js';
import { createSystemPromptLeakCheck } from './output/system-prompt-leak.js';
import { parseDetectorOptions } from './parse-detector-options.js';

const optionsSchema = z
  .object({
    /** Hosts links and images may point to, added to `context.allowedHosts`. */
    allowedHosts: z.array(z.string()).optional(),
    /** Words per shingle for system-prompt overlap (default 8). */
    shingleSize: z.number().int().min(3).max(32).optional(),
    /** Share of the system prompt's shingles that makes a leak (default 0.1). */
    minPromptOverlap: z.number().min(0).max(1).optional(),
    /** Or this many distinct leaked shingles, for long prompts (default 6). */
    minPromptShingles: z.number().int().min(1).optional(),
    /** Canary tokens always checked, added to `context.canaries`. */
    canaries: z.array(z.string()).optional(),
  })
  .strict();

/** Options of `createOutputDetector`. */
export type OutputDetectorOptions = z.infer<typeof optionsSchema>;

function parseOptions(options: unknown): OutputDetectorOptions {
  return parseDetectorOptions({ detector: 'output', schema: optionsSchema, options });
}

/** Markup in code spans is shown escaped by renderers: keep it visible but low. */
function softenInCode(match: OutputMatch): OutputMatch {
  const score = Math.round(match.score * 0.4 * 1000) / 1000;
  return { ...match, score, severity: severityForScore(score) };
}

/**
 * Checks model output for exfiltration links and images, raw HTML and script, SQL and shell payloads for
 * downstream systems, shell commands that send local secrets to another host, canary-token leaks and system-prompt leaks. Runs on the normalized text so
 * obfuscation does not hide payloads; spans point into the original text.
 */
export function createOutputDetector(options?: OutputDetectorOptions): Detector {
  const settings = parseOptions(options);
  const leakCheck = createSystemPromptLeakCheck({
    shingleSize: settings.shingleSize ?? 8,
    minOverlap: settings.minPromptOverlap ?? 0.1,
    minShingles: settings.minPromptShingles ?? 6,
  });
  const payloads = createPayloadRunner([
    ...SQL_INJECTION_RULES,
    ...SHELL_INJECTION_RULES,
    ...SHELL_EXFILTRATION_RULES,
  ]);
  const settingsAllowlist = createHostAllowlist(settings.allowedHosts ?? []);
  const settingsCanaries = settings.canaries ?? [];

  return {
    id: 'output',
    family: 'output',
    detect(text: string, context?: DetectContext): OutputFinding[] {
      const normalized: NormalizedText =
        context?.normalized && context.normalized.original === text ? context.normalized : identityText(text);
      const scanned = normalized.text;
      // Most checks add no hosts of their own: the detector's allowlist then serves as it is.
      const contextHosts = context?.allowedHosts ?? [];
      const allowlist =
        contextHosts.length === 0
          ? settingsAllowlist
          : createHostAllowlist([...(settings.allowedHosts ?? []), ...contextHosts]);
      const matches: OutputMatch[] = [];
      // Hosts are read from the original text: normalization may fold characters inside a URL.
      for (const match of findMarkdownExfiltration(text, allowlist)) matches.push(match);
      const mapped: OutputMatch[] = [];
      const html = findHtmlPayloads(scanned);
      // Code spans matter only for HTML findings; most texts have none, so they are found lazily.
      const code = html.length > 0 ? findCodeSpans(scanned) : undefined;
      for (const match of html) mapped.push(code?.contains(match.start) ? softenInCode(match) : match);
      // A loop, not `push(...matches)`: spreading 100,000 matches of a hostile text overflows the stack.
      for (const match of payloads.run(scanned)) mapped.push(match);
      for (const match of mapped) {
        matches.push({
          ...match,
          start: normalized.toOriginal(match.start),
          end: normalized.toOriginal(match.end),
        });
      }
      const contextCanaries = context?.canaries ?? [];
      if (settingsCanaries.length > 0 || contextCanaries.length > 0) {
        const canaries = [...settingsCanaries, ...contextCanaries];
        matches.push(...dedupeSpans(findCanaryLeaks(normalized, canaries)));
      }
      if (context?.systemPrompt) matches.push(...leakCheck(normalized, context.systemPrompt));
      // Most outputs hold nothing: no filtering, sorting or mapping to do.
      if (matches.length === 0) return [];
      return matches
        .filter((match) => match.end > match.start)
        .sort((a, b) => a.start - b.start || b.score - a.score)
        .map((match) => ({
          detector: 'output',
          family: 'output',
          category: match.category,
          type: match.type,
          severity: match.severity,
          score: match.score,
          start: match.start,
          end: match.end,
          ruleId: match.ruleId,
          ...(match.evidence === undefined ? {} : { evidence: match.evidence }),
          ...(match.host === undefined ? {} : { host: match.host }),
        }));
    },
  };
}

/** One canary finding per span: the strongest way it was found. */
function dedupeSpans(matches: readonly OutputMatch[]): OutputMatch[] {
  const best = new Map<string, OutputMatch>();
  for (const match of matches) {
    const key = `${match.start}:${match.end}`;
    const current = best.get(key);
    if (!current || match.score > current.score) best.set(key, match);
  }
  // Overlapping spans (a separated match around an exact one) keep the strongest; one sweep by start.
  const sorted = [...best.values()].sort((a, b) => a.start - b.start || b.score - a.score);
  const result: OutputMatch[] = [];
  for (const match of sorted) {
    const last = result[result.length - 1];
    if (last && match.start < last.end) {
      if (match.score > last.score) result[result.length - 1] = match;
      continue;
    }
    result.push(match);
  }
  return result;
}
