import type { DetectContext, InjectionSignal } from '../../spec/detector.js';
import { isDataRole } from '../../spec/role.js';
import type { NormalizedText } from '../../spec/text.js';
import { normalizeText } from '../normalize.js';
import { type AnchorGate, createAnchorGate } from './anchor-gate.js';
import { collapseWhitespace } from './collapse-whitespace.js';
import { type DecoderName, decodeSegments, mayUnleet, reverseText, rot13, unleet } from './decoders.js';
import { EXTRACTION_RULES } from './extraction-rules.js';
import { INDIRECT_RULES } from './indirect-rules.js';
import { JAILBREAK_RULES } from './jailbreak-rules.js';
import { MULTILINGUAL_RULES } from './multilingual-rules.js';
import { OVERRIDE_RULES } from './override-rules.js';
import { type InjectionRule, SENTENCE_LOOKBACK } from './rule.js';
import { matchToFinding } from './rule-findings.js';
import { TEMPLATE_TOKEN_RULES } from './template-tokens.js';

/** Every built-in injection rule. */
export const INJECTION_RULES: readonly InjectionRule[] = Object.freeze([
  ...OVERRIDE_RULES,
  ...JAILBREAK_RULES,
  ...EXTRACTION_RULES,
  ...TEMPLATE_TOKEN_RULES,
  ...MULTILINGUAL_RULES,
  ...INDIRECT_RULES,
]);

/** A rule that fired, with its span in the original text. */
export interface RuleMatch {
  readonly rule: InjectionRule;
  readonly start: number;
  readonly end: number;
  /** Evidence strength after role and decoding adjustments. */
  readonly weight: number;
  /** The matched text (decoded when the match came from a decoded payload), truncated. */
  readonly snippet: string;
  /** Decoding chain that revealed the match. */
  readonly decodedFrom?: readonly DecoderName[];
}

/** Score of the rule signal and the matches behind it. */
export interface RuleEvaluation {
  /** Noisy-OR of the strongest weight of each distinct rule that fired; 0 when none fired. */
  readonly score: number;
  readonly matches: readonly RuleMatch[];
}

const MAX_MATCHES_PER_RULE = 4;
const MAX_DEPTH = 3;
const MAX_DECODED_SEGMENTS = 32;
const MAX_DECODED_CHARS = 262_144;
const SNIPPET_LENGTH = 80;
const REPEAT_FACTOR = 0.5;
const MAX_REPEATS = 2;
/** Hidden payloads are stronger evidence than the same words in the clear. */
const DECODED_BOOST = 0.7;
// Whole-text transforms (rot13, reversed) are tried only when the text holds a transformed keyword: rot13
// and reversal are involutions, so the check runs on the words already collected, without transforming.
const TRANSFORM_KEYWORDS = [
  'ignore',
  'disregard',
  'forget',
  'instructions',
  'instruction',
  'prompt',
  'previous',
  'system',
  'jailbreak',
  'pretend',
  'restrictions',
  'developer',
  'override',
  'reveal',
  'repeat',
  'bypass',
  'password',
  'secret',
  'rules',
  'unfiltered',
  'uncensored',
  'above',
  'everything',
];
const TRANSFORM_KEYWORD_SET: ReadonlySet<string> = new Set(TRANSFORM_KEYWORDS);
const ROT13_KEYWORDS = TRANSFORM_KEYWORDS.map((word) => rot13(word));
const REVERSED_KEYWORDS = TRANSFORM_KEYWORDS.map((word) => reverseText(word));

/** Flags the index pass reports for the keywords: found in rot13, found reversed (plain ones: none). */
const ROT13_FLAG = 1;
const REVERSED_FLAG = 2;
const TRANSFORM_FLAGS: ReadonlyMap<string, number> = (() => {
  const flags = new Map<string, number>(TRANSFORM_KEYWORDS.map((word) => [word, 0]));
  for (const word of ROT13_KEYWORDS) flags.set(word, (flags.get(word) ?? 0) | ROT13_FLAG);
  for (const word of REVERSED_KEYWORDS) flags.set(word, (flags.get(word) ?? 0) | REVERSED_FLAG);
  return flags;
})();

/** True when the chain already holds a whole-text transform. */
function transformed(chain: readonly DecoderName[]): boolean {
  for (const name of chain) if (name === 'rot13' || name === 'reversed' || name === 'leetspeak') return true;
  return false;
}

/** The one window of a rule that runs on the whole text (start 0; the text itself is scanned). */
const WHOLE_TEXT: readonly (readonly [number, number])[] = [[0, Number.MAX_SAFE_INTEGER]];

/** Start of the sentence that contains `index`: after the last `. `, `! `, `? `, `: ` or line break, trimmed. */
function sentenceBefore(text: string, index: number): number {
  const limit = Math.max(0, index - SENTENCE_LOOKBACK);
  let start = index;
  while (start > limit) {
    const code = text.charCodeAt(start - 1);
    if (code === 10) break;
    // Punctuation ends a sentence only before a space ("example.com" and "12:30" do not).
    const spaceAfter = text.charCodeAt(start) === 32 || text.charCodeAt(start) === 10;
    if ((code === 46 || code === 33 || code === 63 || code === 58) && spaceAfter) break;
    start--;
  }
  while (start < index && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 10)) start++;
  return start;
}

type SpanMapper = (start: number, end: number) => readonly [number, number];

const gates = new WeakMap<readonly InjectionRule[], AnchorGate>();

function gateFor(rules: readonly InjectionRule[]): AnchorGate {
  let gate = gates.get(rules);
  if (!gate) {
    gate = createAnchorGate(rules, TRANSFORM_FLAGS);
    gates.set(rules, gate);
  }
  return gate;
}

interface ScanState {
  readonly gate: AnchorGate;
  readonly dataRole: boolean;
  readonly matches: RuleMatch[];
  segments: number;
  decodedChars: number;
}

function scanText(state: ScanState, text: string, chain: readonly DecoderName[], mapSpan: SpanMapper): void {
  const index = state.gate.index(text);
  for (const { rule, region } of state.gate.select(text, index)) {
    const base = state.dataRole ? (rule.dataWeight ?? rule.weight) : rule.weight;
    if (base <= 0) continue;
    const weight = chain.length === 0 ? base : 1 - (1 - base) * DECODED_BOOST;
    const windows = region === 'all' ? WHOLE_TEXT : region;
    let count = 0;
    for (const [windowStart, windowEnd] of windows) {
      const window = region === 'all' ? text : text.slice(windowStart, windowEnd);
      const pattern = rule.pattern;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(window); match !== null; match = pattern.exec(window)) {
        if (match[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        let matchStart = windowStart + match.index;
        if (rule.sentenceStart) {
          const sentence = sentenceBefore(window, match.index);
          if (!rule.sentenceStart.test(window.slice(sentence, match.index))) continue;
          matchStart = windowStart + sentence;
        }
        const [start, end] = mapSpan(matchStart, windowStart + match.index + match[0].length);
        const snippet = text
          .slice(matchStart, windowStart + match.index + match[0].length)
          .replace(/\s+/g, ' ')
          .slice(0, SNIPPET_LENGTH);
        state.matches.push(
          chain.length === 0
            ? { rule, start, end, weight, snippet }
            : { rule, start, end, weight, snippet, decodedFrom: chain },
        );
        if (++count >= MAX_MATCHES_PER_RULE) break;
      }
      pattern.lastIndex = 0;
      if (count >= MAX_MATCHES_PER_RULE) break;
    }
  }
  if (chain.length >= MAX_DEPTH) return;
  for (const segment of decodeSegments(text, MAX_DECODED_SEGMENTS - state.segments, index)) {
    if (
      state.segments >= MAX_DECODED_SEGMENTS ||
      state.decodedChars + segment.text.length > MAX_DECODED_CHARS
    )
      break;
    state.segments++;
    state.decodedChars += segment.text.length;
    const outer = mapSpan(segment.start, segment.end);
    scanText(
      state,
      collapseWhitespace(normalizeText(segment.text).text).text,
      [...chain, segment.decoder],
      () => outer,
    );
  }
  // Whole-text transforms are applied once per chain (rot13 of reversed text is not tried), in this order.
  // Each is tried only on evidence from the index pass (closures are made only then: this runs per text).
  if (transformed(chain)) return;
  if (chain.length > 0 && state.decodedChars + text.length > MAX_DECODED_CHARS) return;
  if ((index.wordFlags & ROT13_FLAG) !== 0) scanTransformed(state, rot13(text), [...chain, 'rot13'], mapSpan);
  if ((index.wordFlags & REVERSED_FLAG) !== 0) {
    scanTransformed(state, reverseText(text), [...chain, 'reversed'], (start, end) =>
      mapSpan(text.length - end, text.length - start),
    );
  }
  // The index pass listed the leet tokens: when none folds to a keyword, unleet would return undefined.
  if (mayUnleet(text, index, TRANSFORM_KEYWORD_SET)) {
    scanTransformed(state, unleet(text, TRANSFORM_KEYWORD_SET), [...chain, 'leetspeak'], mapSpan);
  }
}

function scanTransformed(
  state: ScanState,
  text: string | undefined,
  chain: readonly DecoderName[],
  mapSpan: SpanMapper,
): void {
  if (text === undefined) return;
  if (chain.length > 1) state.decodedChars += text.length;
  scanText(state, text, chain, mapSpan);
}

/**
 * Noisy-OR of the evidence: each distinct rule counts with its strongest weight; further matches of the
 * same rule with different wording add half their weight (at most two of them), so a prompt that says
 * "no filters … no boundaries … no rules" weighs more than one that says it once, without letting one
 * weak rule repeated many times reach a high score.
 */
function ruleScore(matches: readonly RuleMatch[]): number {
  if (matches.length === 0) return 0;
  const byRule = new Map<string, { strongest: number; wordings: Set<string>; extra: number[] }>();
  for (const match of matches) {
    const wording = match.snippet.toLowerCase();
    const entry = byRule.get(match.rule.id);
    if (!entry) {
      byRule.set(match.rule.id, { strongest: match.weight, wordings: new Set([wording]), extra: [] });
    } else if (!entry.wordings.has(wording)) {
      entry.wordings.add(wording);
      entry.extra.push(Math.min(entry.strongest, match.weight) * REPEAT_FACTOR);
      entry.strongest = Math.max(entry.strongest, match.weight);
    }
  }
  let miss = 1;
  for (const entry of byRule.values()) {
    miss *= 1 - entry.strongest;
    for (const weight of entry.extra.slice(0, MAX_REPEATS)) miss *= 1 - weight;
  }
  return 1 - miss;
}

/** Runs every rule over the normalized text (and its decoded payloads) and scores the evidence. */
export function evaluateRules(
  normalized: NormalizedText,
  options: { role: DetectContext['role']; rules?: readonly InjectionRule[] },
): RuleEvaluation {
  const state: ScanState = {
    gate: gateFor(options.rules ?? INJECTION_RULES),
    dataRole: isDataRole(options.role),
    matches: [],
    segments: 0,
    decodedChars: 0,
  };
  scanText(state, normalized.text, [], (start, end) => [
    normalized.toOriginal(start),
    normalized.toOriginal(end),
  ]);
  return { score: ruleScore(state.matches), matches: state.matches };
}

/** The rule signal as an `InjectionSignal` named `rules` (findings carry the rule score alone). */
export function createRuleSignal(options: { rules?: readonly InjectionRule[] } = {}): InjectionSignal {
  return {
    name: 'rules',
    score(_text, context) {
      const evaluation = evaluateRules(context.normalized, {
        role: context.role,
        ...(options.rules ? { rules: options.rules } : {}),
      });
      return {
        score: evaluation.score,
        findings: evaluation.matches.map((match) =>
          matchToFinding(match, { score: evaluation.score, signals: ['rules'], role: context.role }),
        ),
      };
    },
  };
}
