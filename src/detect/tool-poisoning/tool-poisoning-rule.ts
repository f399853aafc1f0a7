/** Finding types of the tool-poisoning rules. */
export type ToolPoisoningType = 'TOOL_POISONING' | 'TOOL_HIDDEN_TEXT';

/**
 * One rule over a tool definition's text (description, schema description, parameter name). `score` is
 * the strength of the evidence (0..1); the scores of distinct rules that fire on one text combine by
 * noisy-OR, and a text is poisoned when the combined score reaches `TOOL_POISONING_THRESHOLD`. A rule
 * strong enough to block alone scores at least that threshold; weaker signals (an `<IMPORTANT>` tag,
 * urgency, a threat) only count together with others.
 */
export interface ToolPoisoningRule {
  /** Stable id, e.g. `tool-poisoning.conceal.do-not-tell-user`. */
  readonly id: string;
  readonly type: ToolPoisoningType;
  readonly score: number;
  /** Global, case-insensitive pattern over the normalized text (NFKC, invisible characters removed, whitespace collapsed). */
  readonly pattern: RegExp;
  /**
   * When set, a match counts only if this pattern starts within `followedWithin` words after it, in the same
   * sentence. Two small patterns joined in code replace one with a long word gap, which the ReDoS checker
   * could not prove linear in reasonable time (and the gap is bounded here by construction).
   */
  readonly followedBy?: RegExp;
  readonly followedWithin: number;
  /** When set, a match counts only if this pattern also matches within `nearChars` of it. */
  readonly near?: RegExp;
  /** When set (with `near`), a match counts only if this pattern matches in the same window too. */
  readonly alsoNear?: RegExp;
  /** Distance around a match searched for `near` (default 160). */
  readonly nearChars: number;
  /** The `near` search stays within the match's sentence (and `nearChars`). */
  readonly nearSentence: boolean;
  /** The rule runs only on identifiers (parameter names), never on descriptions. */
  readonly identifierOnly: boolean;
  /** A text the rule must fire on (checked by the tests). */
  readonly example: string;
}

/** The declarative form: pattern sources, so the ReDoS test can check every one. */
export interface ToolPoisoningRuleSpec {
  id: string;
  type?: ToolPoisoningType;
  score: number;
  source: string;
  followedBy?: string;
  followedWithin?: number;
  near?: string;
  alsoNear?: string;
  nearChars?: number;
  nearSentence?: boolean;
  identifierOnly?: boolean;
  example: string;
}

/** Default number of words a rule's `followedBy` pattern may start after its match. */
export const DEFAULT_FOLLOWED_WITHIN = 6;

/** Default distance searched for a rule's `near` condition. */
export const DEFAULT_NEAR_CHARS = 160;

/** Compiles rule specs (`gi` patterns; `followedBy` and `near` conditions are searched, so they carry `i` only). */
export function defineToolPoisoningRules(
  specs: readonly ToolPoisoningRuleSpec[],
): readonly ToolPoisoningRule[] {
  return Object.freeze(
    specs.map((spec) =>
      Object.freeze({
        id: spec.id,
        type: spec.type ?? 'TOOL_POISONING',
        score: spec.score,
        pattern: new RegExp(spec.source, 'gi'),
        ...(spec.followedBy === undefined ? {} : { followedBy: new RegExp(spec.followedBy, 'i') }),
        followedWithin: spec.followedWithin ?? DEFAULT_FOLLOWED_WITHIN,
        ...(spec.near === undefined ? {} : { near: new RegExp(spec.near, 'i') }),
        ...(spec.alsoNear === undefined ? {} : { alsoNear: new RegExp(spec.alsoNear, 'i') }),
        nearChars: spec.nearChars ?? DEFAULT_NEAR_CHARS,
        nearSentence: spec.nearSentence === true,
        identifierOnly: spec.identifierOnly === true,
        example: spec.example,
      }),
    ),
  );
}
