import { isWhitespace } from '../is-whitespace.js';

/**
 * A small, bounded reader of POSIX shell and PowerShell command lines, enough to tell which words a
 * command was given: quotes are removed, `$(…)`, backticks, `${…}` and `(…)` stay inside their word,
 * `\` and PowerShell's backtick before a line break continue the line, and `|`, `;`, `&&`, `||`, `&`,
 * a line break and an unmatched `)` end a command. It is not a shell parser (no expansion, no here-docs):
 * it reads what a model wrote so the exfiltration rules can look at arguments without backtracking
 * regexes. Every loop is bounded by `MAX_COMMAND_CHARACTERS` and `MAX_WORDS`.
 */

/** One word of a command, quotes removed; `start`/`end` are offsets of its raw text. */
export interface ShellWord {
  value: string;
  start: number;
  end: number;
}

/** How a command ended. */
/** How a command ended: an operator, `cut` after `MAX_WORDS` words, `end` at the text's or the read's end. */
export type ShellTerminator = '|' | '||' | '&&' | '&' | ';' | '\n' | ')' | '`' | 'cut' | 'end';

/** One command read from a text. */
export interface ShellCommand {
  words: ShellWord[];
  /** Offset after the command (at its terminator). */
  end: number;
  terminator: ShellTerminator;
}

/** Characters read per command at most; a longer command is cut there. */
export const MAX_COMMAND_CHARACTERS = 1000;
/** Words kept per command at most. */
export const MAX_WORDS = 64;

/** A file-descriptor number before a redirection (`2>`). */
const DESCRIPTOR_NUMBER = /^\d{1,2}$/;

/** Exported for the ReDoS test. */
export const SHELL_WORD_PATTERNS: readonly RegExp[] = [DESCRIPTOR_NUMBER];

const BACKSLASH = 92;
const BACKTICK = 96;
const NEWLINE = 10;
const RETURN = 13;

/**
 * The first `needle` starting in `from` .. `to - 1` and ending by `to`, or -1. Searches stay inside their
 * bounds: an unbounded search from every match over a long text without the needle is quadratic.
 */
function indexWithin(text: string, needle: string, range: { from: number; to: number }): number {
  const at = text.slice(range.from, range.to).indexOf(needle);
  return at === -1 ? -1 : range.from + at;
}

/** The last `needle` lying wholly in `from` .. `to - 1`, or -1. */
export function lastIndexWithin(text: string, needle: string, range: { from: number; to: number }): number {
  const at = text.slice(range.from, range.to).lastIndexOf(needle);
  return at === -1 ? -1 : range.from + at;
}

/** True when the line break at `index` is continued: `\\` or a backtick stands right before it (or its `\r`). */
export function isContinuedBreak(text: string, index: number): boolean {
  let before = index - 1;
  if (text.charCodeAt(before) === RETURN) before--;
  const code = text.charCodeAt(before);
  return code === BACKSLASH || code === BACKTICK;
}

/** The offset after a line break at `index` (`\n` or `\r\n`), or -1 when there is none. */
function lineBreakEnd(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code === NEWLINE) return index + 1;
  if (code === RETURN && text.charCodeAt(index + 1) === NEWLINE) return index + 2;
  return -1;
}

/**
 * The offset after a group opened at `index` by `open` (`(` or `{`) and closed by the matching `close`,
 * skipping quoted text inside; `limit` when it does not close before.
 */
function groupEnd(options: {
  text: string;
  index: number;
  open: number;
  close: number;
  limit: number;
}): number {
  const { text, open, close, limit } = options;
  let depth = 0;
  let quote = 0;
  for (let at = options.index; at < limit; at++) {
    const code = text.charCodeAt(at);
    if (quote !== 0) {
      if (code === BACKSLASH && quote === 34) at++;
      else if (code === quote) quote = 0;
      continue;
    }
    if (code === 39 || code === 34) quote = code;
    else if (code === open) depth++;
    else if (code === close && --depth === 0) return at + 1;
  }
  return limit;
}

/** The offset after a closing backtick for one opened at `index` (`limit` when it does not close). */
function backtickEnd(text: string, index: number, limit: number): number {
  const at = indexWithin(text, '`', { from: index + 1, to: limit });
  return at === -1 ? limit : at + 1;
}

/**
 * Reads one command starting at `start`: its words up to the first operator that ends it, at most
 * `MAX_COMMAND_CHARACTERS` characters and `MAX_WORDS` words. Redirections (`<`, `>`, `>>`, `2>&1`) are
 * words of their own (`<`, `>`), followed by their target word.
 */
export function readShellCommand(text: string, start: number): ShellCommand {
  const limit = Math.min(text.length, start + MAX_COMMAND_CHARACTERS);
  const words: ShellWord[] = [];
  let value = '';
  let wordStart = -1;
  const finish = (at: number): void => {
    if (wordStart !== -1 && words.length < MAX_WORDS) words.push({ value, start: wordStart, end: at });
    value = '';
    wordStart = -1;
  };
  const begin = (at: number): void => {
    if (wordStart === -1) wordStart = at;
  };
  let at = start;
  while (at < limit) {
    if (words.length >= MAX_WORDS) return { words, end: at, terminator: 'cut' };
    const code = text.charCodeAt(at);
    // `\` or PowerShell's backtick right before a line break continues the command on the next line.
    if (code === BACKSLASH || code === BACKTICK) {
      const after = lineBreakEnd(text, at + 1);
      if (after !== -1) {
        finish(at);
        at = after;
        continue;
      }
    }
    const breakEnd = lineBreakEnd(text, at);
    if (breakEnd !== -1) {
      finish(at);
      return { words, end: at, terminator: '\n' };
    }
    if (isWhitespace(code)) {
      finish(at);
      at++;
      continue;
    }
    if (code === 124) {
      finish(at);
      return { words, end: at, terminator: text.charCodeAt(at + 1) === 124 ? '||' : '|' };
    }
    if (code === 59) {
      finish(at);
      return { words, end: at, terminator: ';' };
    }
    if (code === 38) {
      const next = text.charCodeAt(at + 1);
      if (next === 62) {
        // `&>` and `&>>`: redirect both streams.
        finish(at);
        begin(at);
        value = '>';
        at += text.charCodeAt(at + 2) === 62 ? 3 : 2;
        finish(at);
        continue;
      }
      finish(at);
      return { words, end: at, terminator: next === 38 ? '&&' : '&' };
    }
    if (code === 41) {
      finish(at);
      return { words, end: at, terminator: ')' };
    }
    if (code === 35 && wordStart === -1) {
      // A comment runs to the end of the line.
      finish(at);
      const lineEnd = indexWithin(text, '\n', { from: at, to: limit });
      const end = lineEnd === -1 ? limit : lineEnd;
      return { words, end, terminator: end === limit ? 'end' : '\n' };
    }
    if (code === 60 || code === 62) {
      // `<(…)` is process substitution: it stays a word, like `$(…)`.
      if (code === 60 && text.charCodeAt(at + 1) === 40) {
        begin(at);
        const end = groupEnd({ text, index: at + 1, open: 40, close: 41, limit });
        value += text.slice(at, end);
        at = end;
        continue;
      }
      // A file-descriptor number before the operator (`2>`) is part of the operator.
      if (wordStart !== -1 && DESCRIPTOR_NUMBER.test(value)) {
        value = '';
        wordStart = -1;
      }
      finish(at);
      begin(at);
      value = code === 60 ? '<' : '>';
      at++;
      // `>>`, `>&`, `>|`, `<<`, `<<<`, `<>`, `>&1`.
      while (at < limit && at < wordStart + 3) {
        const next = text.charCodeAt(at);
        if (next !== 60 && next !== 62 && next !== 38 && next !== 124) break;
        at++;
      }
      if (text.charCodeAt(at - 1) === 38) {
        while (at < limit && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
      }
      finish(at);
      continue;
    }
    begin(at);
    if (code === 39) {
      const close = indexWithin(text, "'", { from: at + 1, to: limit });
      const end = close === -1 ? limit : close;
      value += text.slice(at + 1, end);
      at = Math.min(end + 1, limit);
      continue;
    }
    if (code === 34) {
      at++;
      while (at < limit) {
        const inner = text.charCodeAt(at);
        if (inner === 34) break;
        if (inner === BACKSLASH && at + 1 < limit) {
          const next = text.charCodeAt(at + 1);
          // Escaped quote, backslash or dollar: the character itself; a continued line: nothing.
          if (next === 34 || next === BACKSLASH || next === 36 || next === BACKTICK) {
            value += text[at + 1];
            at += 2;
            continue;
          }
          if (next === NEWLINE) {
            at += 2;
            continue;
          }
        }
        if (inner === 36 && text.charCodeAt(at + 1) === 40) {
          const end = groupEnd({ text, index: at + 1, open: 40, close: 41, limit });
          value += text.slice(at, end);
          at = end;
          continue;
        }
        value += text[at];
        at++;
      }
      // Past the closing quote; an unclosed one ends at the limit.
      at = Math.min(at + 1, limit);
      continue;
    }
    if (code === 36 && text.charCodeAt(at + 1) === 40) {
      const end = groupEnd({ text, index: at + 1, open: 40, close: 41, limit });
      value += text.slice(at, end);
      at = end;
      continue;
    }
    if (code === 36 && text.charCodeAt(at + 1) === 123) {
      const end = groupEnd({ text, index: at + 1, open: 123, close: 125, limit });
      value += text.slice(at, end);
      at = end;
      continue;
    }
    if (code === 40) {
      // A PowerShell sub-expression or a subshell: kept whole, read again by `substitutions`.
      const end = groupEnd({ text, index: at, open: 40, close: 41, limit });
      value += text.slice(at, end);
      at = end;
      continue;
    }
    if (code === BACKTICK) {
      // A backtick not closed on its line ends Markdown inline code around the command
      // (`` `curl … @file` to upload ``): it is not a command substitution.
      const close = indexWithin(text, '`', { from: at + 1, to: limit });
      const lineEnd = close === -1 ? -1 : indexWithin(text, '\n', { from: at + 1, to: close });
      if (close === -1 || lineEnd !== -1) {
        finish(at);
        return { words, end: at, terminator: '`' };
      }
      value += text.slice(at, close + 1);
      at = close + 1;
      continue;
    }
    if (code === BACKSLASH && at + 1 < limit && !isWhitespace(text.charCodeAt(at + 1))) {
      // Kept: PowerShell and Windows paths use it as a separator (`$env:USERPROFILE\.ssh\id_rsa`).
      value += text.slice(at, at + 2);
      at += 2;
      continue;
    }
    value += text[at];
    at++;
  }
  finish(at);
  return { words, end: at, terminator: 'end' };
}

/** A substitution inside a word's value: its text and where it lies in the value. */
export interface SubstitutionSpan {
  inner: string;
  /** Offset of `$`, `<`, the backtick or `(` that opens it. */
  start: number;
  /** Offset after its closing character. */
  end: number;
  /** True for command substitutions (`$(…)`, backticks); false for `<(…)` and PowerShell `(…)`. */
  command: boolean;
}

/**
 * The `$(…)`, `<(…)`, backtick and PowerShell `(…)` substitutions in a word's value, outermost only, at
 * most eight; an unclosed one runs to the end of the value.
 */
export function substitutionSpans(value: string): SubstitutionSpan[] {
  const found: SubstitutionSpan[] = [];
  let at = 0;
  while (at < value.length && found.length < 8) {
    const code = value.charCodeAt(at);
    if (code === BACKTICK) {
      const end = backtickEnd(value, at, value.length);
      const inner = value.slice(
        at + 1,
        value.charCodeAt(end - 1) === BACKTICK && end - 1 > at ? end - 1 : end,
      );
      found.push({ inner, start: at, end, command: true });
      at = end;
      continue;
    }
    if (code === 40) {
      const end = groupEnd({ text: value, index: at, open: 40, close: 41, limit: value.length });
      const inner = value.slice(at + 1, value.charCodeAt(end - 1) === 41 ? end - 1 : end);
      const opener = value.charCodeAt(at - 1);
      const command = opener === 36;
      found.push({ inner, start: command || opener === 60 ? at - 1 : at, end, command });
      at = end;
      continue;
    }
    at++;
  }
  return found;
}

/** The texts of `substitutionSpans(value)`. */
export function substitutions(value: string): string[] {
  return substitutionSpans(value).map((span) => span.inner);
}

/** Every command of every pipeline in a short script (a substitution's text), at most `MAX_WORDS` of them. */
export function readScript(script: string): ShellWord[][] {
  const commands: ShellWord[][] = [];
  let at = 0;
  while (at < script.length && commands.length < MAX_WORDS) {
    const command = readShellCommand(script, at);
    if (command.words.length > 0) commands.push(command.words);
    at = Math.max(command.end + 1, at + 1);
  }
  return commands;
}
