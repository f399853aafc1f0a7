import type { Severity } from '../../spec/severity.js';

/** Groups of provider rules, one data file each. */
export type ProviderKind = 'cloud' | 'vcs-ci' | 'payment' | 'chat' | 'llm' | 'database' | 'saas';

interface SecretRuleBase {
  /** Stable rule id, `secrets.<provider>-<what>`. */
  id: string;
  /** Finding type, UPPER_SNAKE. */
  type: string;
  /** Human name of the provider. */
  provider: string;
  kind: ProviderKind;
  /**
   * Shape of the secret. Written without flags; compiled sticky (prefix rules) or global (context rules).
   * A named group `value` narrows the span; otherwise the whole match is the secret. Every quantifier is
   * bounded and no two adjacent quantified parts overlap, so the pattern cannot backtrack badly.
   */
  pattern: RegExp;
  severity: Severity;
  /** Confidence 0..1 of a match that passes every check. */
  score: number;
  /** Minimum Shannon entropy (bits per character) of the value; weeds out placeholders such as `AAAA…`. */
  minEntropy?: number;
  /** Documented example values (vendor docs): reported with `example: true` at severity `info`. */
  examples?: readonly string[];
  /** Extra check on the value, for formats with a checksum or structure the pattern cannot express. */
  validate?: (value: string) => boolean;
}

/**
 * A rule whose secret starts with (or contains, at `prefixOffset`) a literal anchor such as `ghp_`.
 * The detector scans for anchors first and runs the pattern only where one occurs.
 */
export interface PrefixRule extends SecretRuleBase {
  match: 'prefix';
  /** Literal, case-sensitive anchors. */
  prefixes: readonly string[];
  /** The anchor sits this many characters after the start of the secret (e.g. `-us` in Mailchimp keys). */
  prefixOffset?: number;
  /** Require a non-alphanumeric character before the secret (default true). */
  leftBoundary?: boolean;
}

/**
 * A rule for formats with no literal anchor (40-char base64, 32 hex): the value must follow one of
 * `keywords` (case-insensitive) within `window` characters.
 */
export interface ContextRule extends SecretRuleBase {
  match: 'context';
  keywords: readonly string[];
  /** How far after the keyword the value may start (default 120 characters, at most two lines). */
  window?: number;
}

/** A provider key format, as data. */
export type SecretRule = PrefixRule | ContextRule;

type Draft<Rule extends SecretRule> = Omit<Rule, 'kind' | 'match' | 'severity' | 'score' | 'id'> &
  Partial<Pick<Rule, 'severity' | 'score'>> & { id: string };

/** Rules of one kind: fills in the id prefix, kind and defaults. */
export function defineRules(
  kind: ProviderKind,
  drafts: readonly (Draft<PrefixRule> | Draft<ContextRule>)[],
): SecretRule[] {
  return drafts.map((draft) => {
    const id = `secrets.${draft.id}`;
    if ('keywords' in draft) {
      return { severity: 'high', score: 0.8, ...draft, id, kind, match: 'context' } as ContextRule;
    }
    return { severity: 'high', score: 0.95, ...draft, id, kind, match: 'prefix' } as PrefixRule;
  });
}
