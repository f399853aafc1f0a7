import { isAsciiAlphanumeric } from '../ascii-codes.js';
import { contextWindowEnd } from './context-window-end.js';
import { shannonEntropy } from './entropy.js';
import type { Matcher, SecretMatch } from './matcher.js';
import { isDocumentedExample, isPlaceholder } from './placeholders.js';
import { runShape } from './run-shape.js';
import type { ContextRule, PrefixRule, SecretRule } from './secret-rule.js';

const DEFAULT_WINDOW = 120;

/**
 * The checks every rule shares, on a matched value: not a placeholder or filler, enough entropy (unless a
 * documented example), and the rule's own validation.
 */
export function passesSharedChecks(rule: SecretRule, value: string): boolean {
  const anchor =
    rule.match === 'prefix' ? rule.prefixes.find((prefix) => value.startsWith(prefix)) : undefined;
  const body = anchor === undefined ? value : value.slice(anchor.length);
  if (isPlaceholder(body)) return false;
  if (rule.minEntropy !== undefined && shannonEntropy(body) < rule.minEntropy) {
    // Vendor docs keep their example keys readable (`…EXAMPLE`), which can lower entropy.
    if (!isDocumentedExample(value, rule.examples)) return false;
  }
  return !rule.validate || rule.validate(value);
}

/** Applies the checks every rule shares and builds the match. */
function accept(
  rule: SecretRule,
  options: { value: string; start: number; end: number },
): SecretMatch | undefined {
  const { value } = options;
  if (!passesSharedChecks(rule, value)) return undefined;
  const example = isDocumentedExample(value, rule.examples);
  return {
    ruleId: rule.id,
    type: rule.type,
    severity: example ? 'info' : rule.severity,
    score: example ? 0.1 : rule.score,
    start: options.start,
    end: options.end,
    ...(example ? { example: true } : {}),
    priority: 3,
  };
}

function valueSpan(match: RegExpExecArray): { value: string; start: number; end: number } {
  const group = match.indices?.groups?.value;
  const value = match.groups?.value;
  if (group && value !== undefined) return { value, start: group[0], end: group[1] };
  return { value: match[0], start: match.index, end: match.index + match[0].length };
}

function prefixMatcher(rule: PrefixRule): Matcher {
  const sticky = new RegExp(rule.pattern.source, 'dy');
  const offset = rule.prefixOffset ?? 0;
  const leftBoundary = rule.leftBoundary ?? true;
  return {
    anchors: rule.prefixes,
    caseInsensitive: false,
    find(text, anchorStart) {
      const start = anchorStart - offset;
      if (start < 0) return undefined;
      if (leftBoundary && start > 0 && isAsciiAlphanumeric(text.charCodeAt(start - 1))) return undefined;
      sticky.lastIndex = start;
      const match = sticky.exec(text);
      return match ? accept(rule, valueSpan(match)) : undefined;
    },
  };
}

function contextMatcher(rule: ContextRule): Matcher {
  // Sticky like prefix rules: tried only at token starts after the keyword, so each attempt is anchored
  // and the cost per keyword is bounded by the window.
  const sticky = new RegExp(rule.pattern.source, 'dy');
  // A start the shape rules out is one where `sticky` would not match (see run-shape.ts): skipping to the
  // next start it allows changes nothing but the time taken.
  const shape = runShape(sticky);
  const window = rule.window ?? DEFAULT_WINDOW;
  return {
    anchors: rule.keywords,
    caseInsensitive: true,
    find(text, anchorStart, anchor) {
      const from = anchorStart + anchor.length;
      // The value sits on the keyword's line or the next one (YAML and JSON blocks).
      const to = contextWindowEnd(text, from, window);
      for (let start = from; start < to; start++) {
        if (shape) {
          start = shape.nextStart(text, start, to);
          if (start >= to) break;
        }
        // Inside a run of letters and digits no value can start (values begin at a token boundary).
        if (isAsciiAlphanumeric(text.charCodeAt(start - 1)) && isAsciiAlphanumeric(text.charCodeAt(start)))
          continue;
        sticky.lastIndex = start;
        const match = sticky.exec(text);
        if (!match) continue;
        const found = accept(rule, valueSpan(match));
        if (found) return { ...found, priority: 4 };
      }
      return undefined;
    },
  };
}

/** Turns a provider rule (data) into a matcher the scanner runs at its anchors. */
export function compileRule(rule: SecretRule): Matcher {
  return rule.match === 'prefix' ? prefixMatcher(rule) : contextMatcher(rule);
}
