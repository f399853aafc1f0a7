import type { InjectionFinding } from '../../spec/finding.js';

/** A hidden-text rule: what it looks for is a property of code points, so it is code, not a pattern. */
export interface HiddenCharacterRule {
  readonly id: string;
  readonly score: number;
}

/**
 * Tag characters (U+E0000–E007F) spell ASCII that no reader sees but the model reads ("ASCII
 * smuggling"); in a tool description they can only be hidden instructions. Emoji flags of regions
 * (U+1F3F4 followed by tag letters and U+E007F) are the one legitimate use and are skipped.
 */
export const TAG_CHARACTERS_RULE: HiddenCharacterRule = {
  id: 'tool-poisoning.hidden.tag-characters',
  score: 0.9,
};
/** Bidi overrides and isolates (U+202A–202E, U+2066–2069, UTS #9) reorder what a reviewer sees. */
export const BIDI_CONTROL_RULE: HiddenCharacterRule = {
  id: 'tool-poisoning.hidden.bidi-control',
  score: 0.45,
};
/** Zero-width characters inside an ASCII word split keywords so that a reviewer's search misses them. */
export const ZERO_WIDTH_RULE: HiddenCharacterRule = {
  id: 'tool-poisoning.hidden.zero-width-in-word',
  score: 0.35,
};
/**
 * A long run of blank lines or spaces pushes the rest of a description out of a client's preview, where a
 * user approving the tool does not scroll.
 */
export const WHITESPACE_PADDING_RULE: HiddenCharacterRule = {
  id: 'tool-poisoning.hidden.whitespace-padding',
  score: 0.3,
};

/** Every hidden-text rule, for listings and tests. */
export const HIDDEN_CHARACTER_RULES: readonly HiddenCharacterRule[] = [
  TAG_CHARACTERS_RULE,
  BIDI_CONTROL_RULE,
  ZERO_WIDTH_RULE,
  WHITESPACE_PADDING_RULE,
];

const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;
/** Line breaks in a row (blank lines between them allowed) that count as padding. */
const PADDING_LINE_BREAKS = 20;
/** Spaces or tabs in a row that count as padding. */
const PADDING_SPACES = 300;

function finding(rule: HiddenCharacterRule, start: number, end: number): InjectionFinding {
  return {
    detector: 'tool-poisoning',
    family: 'injection',
    category: 'obfuscation',
    type: 'TOOL_HIDDEN_TEXT',
    severity: rule.score >= 0.5 ? 'high' : 'medium',
    score: rule.score,
    start,
    end,
    ruleId: rule.id,
  };
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isZeroWidth(code: number): boolean {
  return code === 0x200b || code === 0x200c || code === 0x200d || code === 0x2060 || code === 0xfeff;
}

/** The end of a run of tag characters starting at `start` (surrogate pairs: two code units each). */
function tagRunEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const codePoint = text.codePointAt(index) ?? 0;
    if (codePoint < 0xe0000 || codePoint > 0xe007f) break;
    index += 2;
  }
  return index;
}

/** True when the tag run is the tail of a region flag emoji: black flag, at most 6 tag letters, cancel tag. */
function isFlagSequence(text: string, start: number, end: number): boolean {
  return (
    start >= 2 &&
    text.codePointAt(start - 2) === BLACK_FLAG &&
    end - start <= 14 &&
    text.codePointAt(end - 2) === CANCEL_TAG
  );
}

/** Findings for hidden characters and padding in one tool-definition text (at most one per rule). */
export function hiddenCharacterFindings(text: string): InjectionFinding[] {
  const findings: InjectionFinding[] = [];
  const seen = new Set<string>();
  const add = (rule: HiddenCharacterRule, start: number, end: number): void => {
    if (seen.has(rule.id)) return;
    seen.add(rule.id);
    findings.push(finding(rule, start, end));
  };
  let lineBreaks = 0;
  let lineRunStart = -1;
  let spaces = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) {
      if (lineBreaks === 0) lineRunStart = index;
      if (++lineBreaks === PADDING_LINE_BREAKS) add(WHITESPACE_PADDING_RULE, lineRunStart, index + 1);
      spaces = 0;
      continue;
    }
    if (code === 32 || code === 9 || code === 13) {
      if (++spaces === PADDING_SPACES) add(WHITESPACE_PADDING_RULE, index + 1 - PADDING_SPACES, index + 1);
      continue;
    }
    lineBreaks = 0;
    spaces = 0;
    if (code < 0x200b) continue;
    if (code === 0xdb40) {
      const end = tagRunEnd(text, index);
      if (end > index && !isFlagSequence(text, index, end)) add(TAG_CHARACTERS_RULE, index, end);
      if (end > index) index = end - 1;
    } else if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      add(BIDI_CONTROL_RULE, index, index + 1);
    } else if (
      isZeroWidth(code) &&
      isAsciiAlphanumeric(text.charCodeAt(index - 1)) &&
      isAsciiAlphanumeric(text.charCodeAt(index + 1))
    ) {
      add(ZERO_WIDTH_RULE, index, index + 1);
    }
  }
  return findings;
}
