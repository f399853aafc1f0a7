import type { Category } from '../../spec/finding.js';

/** Finding types of the injection family. `INJECTION_MODEL` is reserved for learned signals. */
export type InjectionType =
  | 'INSTRUCTION_OVERRIDE'
  | 'JAILBREAK_PERSONA'
  | 'SYSTEM_PROMPT_EXTRACTION'
  | 'CHAT_TEMPLATE_TOKEN'
  | 'ENCODED_PAYLOAD'
  | 'INDIRECT_INSTRUCTION'
  | 'MULTILINGUAL_OVERRIDE'
  | 'INJECTION_MODEL';

/**
 * One injection rule. `weight` is the probability-like strength of the evidence (0..1) when the rule
 * fires in a user message; weights of distinct rules combine by noisy-OR in the rule signal.
 */
export interface InjectionRule {
  /** Stable id, e.g. `injection.override.ignore-previous`. */
  readonly id: string;
  readonly type: InjectionType;
  readonly category: Category;
  /** Global regular expression run over the normalized text. */
  readonly pattern: RegExp;
  /** Evidence strength 0..1 for user, system and assistant text. 0 means the rule only applies to data. */
  readonly weight: number;
  /** Evidence strength for untrusted data (`document`, `tool` roles); defaults to `weight`. */
  readonly dataWeight?: number;
  /** Language of the phrasing, for multilingual rules (BCP 47). */
  readonly language?: string;
  /**
   * Anchors of which every match contains at least one: lowercase ASCII words (found as whole words in any
   * case), phrases of such words (`'you are now'`; in the text the words may be separated by up to three
   * spaces, hyphens or apostrophes, so `'can t'` finds "can't"), or other substrings (found
   * case-sensitively). A rule runs only around its anchors, which keeps
   * the scan fast; an empty list means the rule always runs on the whole text.
   */
  readonly anchors: readonly string[];
  /**
   * Word sets of which every match holds a whole word from each (lowercase ASCII words, found as whole
   * words in any case): a necessary condition on the whole text, checked when the rule would run on the
   * whole text, so a benign text that has an anchor but none of a set's words skips the pattern.
   */
  readonly requires?: readonly (readonly string[])[];
  /**
   * Words that a match may run on from into more letters: a pattern without a final `\b` matches
   * "guidelines" inside "guidelinesX", and `\s?` between two words matches "hiddenprompt". The text's letter
   * run is then no whole-word anchor, so the rule also runs around letter runs that start with one of these
   * words and are longer (lowercase ASCII, 3-24 letters; the whole word itself is found only if it is an
   * anchor too).
   */
  readonly prefixes?: readonly string[];
  /** A text the rule must match (checked by the tests). */
  readonly example: string;
  /** Longest text the rule can match, in code units: the reach of its windows around an anchor. */
  readonly reach: number;
  /**
   * When set, a match counts only if the sentence it sits in (from the last `.`, `!`, `?`, `:` or line
   * break, at most `SENTENCE_LOOKBACK` code units back) starts with this pattern; the finding then spans
   * from the sentence start. Two simple patterns replace one with a long free-word gap, which could not
   * be proven linear.
   */
  readonly sentenceStart?: RegExp;
}

/** How far back a `sentenceStart` condition looks for the start of the sentence. */
export const SENTENCE_LOOKBACK = 320;

/** Default `reach`: bounded gaps and phrase lists keep nearly every rule's matches shorter than this. */
export const DEFAULT_REACH = 320;

/** The declarative form of a rule: the pattern as source text, so sources can be shared and checked. */
export interface RuleSpec {
  id: string;
  type: InjectionType;
  category: Category;
  source: string;
  /** Regular-expression flags besides `g` (default `i`). */
  flags?: string;
  weight: number;
  dataWeight?: number;
  language?: string;
  anchors: readonly string[];
  requires?: readonly (readonly string[])[];
  prefixes?: readonly string[];
  example: string;
  reach?: number;
  /** Source of `InjectionRule.sentenceStart` (flags `iu`). */
  sentenceStart?: string;
}

/**
 * Compiles rule specs. Sources are NFKC-normalized so that they match the normalized text the detector
 * scans (for example Devanagari nukta letters decompose under NFKC).
 */
export function defineRules(specs: readonly RuleSpec[]): readonly InjectionRule[] {
  return Object.freeze(
    specs.map((spec) => {
      const flags = `g${spec.flags ?? 'i'}`;
      const rule: InjectionRule = {
        id: spec.id,
        type: spec.type,
        category: spec.category,
        pattern: new RegExp(spec.source.normalize('NFKC'), flags),
        weight: spec.weight,
        ...(spec.dataWeight === undefined ? {} : { dataWeight: spec.dataWeight }),
        ...(spec.language === undefined ? {} : { language: spec.language }),
        anchors: Object.freeze(spec.anchors.map((anchor) => anchor.normalize('NFKC'))),
        ...(spec.requires === undefined
          ? {}
          : { requires: Object.freeze(spec.requires.map((words) => Object.freeze([...words]))) }),
        ...(spec.prefixes === undefined ? {} : { prefixes: Object.freeze([...spec.prefixes]) }),
        example: spec.example,
        reach: spec.reach ?? DEFAULT_REACH,
        ...(spec.sentenceStart === undefined ? {} : { sentenceStart: new RegExp(spec.sentenceStart, 'iu') }),
      };
      return Object.freeze(rule);
    }),
  );
}

/**
 * Up to `count` words between two phrases, within one sentence: `(?:\sWORD){0,count}\s`. Words
 * and spaces are disjoint classes and every repetition is bounded, so matching stays linear.
 */
export function gap(count: number): string {
  return String.raw`(?:\s[^\s.!?;:]{1,24}){0,${count}}\s`;
}

/** Alternation of phrases where a space matches one (collapsed) whitespace and an apostrophe is optional. */
export function anyOf(phrases: readonly string[]): string {
  return `(?:${phrases.map((phrase) => phrase.replaceAll(' ', String.raw`\s`).replaceAll("'", "['’]?")).join('|')})`;
}
