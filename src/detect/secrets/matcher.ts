import type { Severity } from '../../spec/severity.js';

/** A secret found by a matcher, before spans are mapped and evidence is masked. */
export interface SecretMatch {
  ruleId: string;
  type: string;
  severity: Severity;
  score: number;
  /** Offsets of the secret value in the scanned text. */
  start: number;
  end: number;
  example?: boolean;
  /** Wins over lower priorities when spans overlap: context rules 4 (most specific), prefix rules and keys 3, JWT 2, URLs 1, generic 0. */
  priority: number;
}

/**
 * A cheap literal anchor and the check that runs where it occurs. The detector finds every anchor in one
 * pass and calls `find` only there, which keeps the scan fast on text that holds no secret.
 */
export interface Matcher {
  /** Literal anchors; compared case-insensitively when `caseInsensitive`. */
  readonly anchors: readonly string[];
  readonly caseInsensitive: boolean;
  /**
   * Looks for a secret around an anchor found at `anchorStart`. `scratch` lives for one scan of one text,
   * so a matcher can remember work (e.g. where the next footer is) instead of repeating it per anchor.
   */
  find(
    text: string,
    anchorStart: number,
    anchor: string,
    scratch: Map<Matcher, unknown>,
  ): SecretMatch | undefined;
}
