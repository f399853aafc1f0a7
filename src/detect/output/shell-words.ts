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
function lastIndexWithin(text: string, needle: string, range: { from: number; to: number }): number {
  const at = text.slice(range.from, range.to).lastIndexOf(needle);
  return at === -1 ? -1 : range.from + at;
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

/** A pipeline: its commands in order, each fed by the one before (`a | b | c`). */
export interface ShellPipeline {
  commands: ShellWord[][];
  /** Index in `commands` of the command holding the offset asked for. */
  current: number;
}

/** Commands looked back across, at most, for the start of a pipeline. */
const MAX_STAGES = 8;

/**
 * Where reading for `index` starts: the start of its logical line (a line break not preceded by `\` or
 * a backtick, which continue the line above), but not before the block boundary one to two
 * `MAX_COMMAND_CHARACTERS` back. The boundary is a multiple of `MAX_COMMAND_CHARACTERS`, so matches near
 * each other on a long line share it and one forward reading serves them all.
 */
function readingOrigin(text: string, index: number): number {
  const floor = blockFloor(index);
  const start = lastLineStart(text, { from: floor, to: index });
  return start === -1 ? floor : start;
}

/** The block boundary of `readingOrigin`. */
function blockFloor(index: number): number {
  return Math.max(0, (Math.floor(index / MAX_COMMAND_CHARACTERS) - 1) * MAX_COMMAND_CHARACTERS);
}

/**
 * The offset after the last line break in `from` .. `to - 1` that is not continued (by `\` or a backtick
 * before it), or -1 when there is none.
 */
function lastLineStart(text: string, range: { from: number; to: number }): number {
  let at = range.to;
  for (;;) {
    const previous = lastIndexWithin(text, '\n', { from: range.from, to: at });
    if (previous === -1) return -1;
    let before = previous - 1;
    if (text.charCodeAt(before) === RETURN) before--;
    const code = text.charCodeAt(before);
    if (code !== BACKSLASH && code !== BACKTICK) return previous + 1;
    at = previous;
  }
}

interface ReadCommand extends ShellCommand {
  start: number;
}

/**
 * One forward reading of a text from `origin`: the rules ask about their matches in text order, so
 * matches near each other on a long line are served by one reading instead of one each. A reading
 * depends only on the text and its origin, so reusing it gives what a fresh one would.
 */
interface LineReading {
  origin: number;
  /** The last commands read (at most `MAX_STAGES + 1`), in order. */
  commands: ReadCommand[];
  /** True once commands have been dropped from the front of `commands`. */
  dropped: boolean;
  /** Where reading goes on. */
  to: number;
}

/** Reads on from `reading.to` until the command holding `index` has been read. */
function readUntil(text: string, reading: LineReading, index: number): void {
  // Each read moves `to` forward by at least one character.
  while (reading.to <= index && reading.to < text.length) {
    const command = readShellCommand(text, reading.to);
    reading.commands.push({
      words: command.words,
      end: command.end,
      terminator: command.terminator,
      start: reading.to,
    });
    if (reading.commands.length > MAX_STAGES + 1) {
      reading.commands.shift();
      reading.dropped = true;
    }
    reading.to = nextStart(command, reading.to);
  }
}

/** The position in `reading.commands` of the command holding `index` (the last one starting at or before it). */
function holdingPosition(reading: LineReading, index: number): number {
  let current = reading.commands.length - 1;
  while (current > 0 && reading.commands[current]!.start > index) current--;
  return current;
}

/** Reads the pipelines around the matches of one rule in one text, in text order. */
export interface PipelineReader {
  /**
   * The pipeline around the command that holds `index` (see `readPipelineAt`). An `index` not after the
   * one asked before, or a new text, starts a new pass over a text.
   */
  at(text: string, index: number): ShellPipeline;
}

/** Characters a pass may read for matches inside words, per character of its text (plus sixteen commands). */
const INSIDE_BUDGET_PER_CHARACTER = 4;

/**
 * A reader for one rule. Within a pass (one text, increasing offsets) a forward reading is reused, and
 * the readings for matches inside words (`pipelineInside`), which cannot be shared, stop once they have
 * read `INSIDE_BUDGET_PER_CHARACTER` characters per character of the text: a text made of thousands of
 * `/usr/bin/curl` costs work linear in its length. Answers are the same as `readPipelineAt` gives until
 * that budget runs out; after it, such matches get an empty pipeline. A pass starts over when the text
 * changes or the offset does not grow, so the answers depend only on the text, never on earlier calls.
 */
export function createPipelineReader(): PipelineReader {
  let passText: string | undefined;
  let lastIndex = -1;
  let lastOrigin = 0;
  let reading: LineReading | undefined;
  let budget = 0;
  return {
    at(text, index) {
      if (text !== passText || index <= lastIndex) {
        passText = text;
        lastIndex = -1;
        reading = undefined;
        budget = INSIDE_BUDGET_PER_CHARACTER * text.length + 16 * MAX_COMMAND_CHARACTERS;
      }
      // Within one block, the origin of a later match is the last line start between the previous match
      // and it, or else the previous origin: only that stretch is searched (as `readingOrigin` would).
      let origin: number;
      if (
        lastIndex !== -1 &&
        text === passText &&
        blockFloor(lastIndex) === blockFloor(index) &&
        index > lastIndex
      ) {
        const start = lastLineStart(text, { from: lastIndex, to: index });
        origin = start === -1 ? lastOrigin : start;
      } else {
        origin = readingOrigin(text, index);
      }
      lastIndex = index;
      lastOrigin = origin;
      let current = -1;
      if (reading !== undefined && reading.origin === origin) {
        readUntil(text, reading, index);
        current = holdingPosition(reading, index);
        // The command, or some of the commands piped into it, were dropped: read again from the origin.
        const start = reading.commands[current]?.start ?? Number.POSITIVE_INFINITY;
        if (start > index || (reading.dropped && current < MAX_STAGES)) current = -1;
      }
      if (reading === undefined || current === -1) {
        reading = { origin, commands: [], dropped: false, to: origin };
        readUntil(text, reading, index);
        current = holdingPosition(reading, index);
      }
      const holding = reading.commands[current];
      if (holding?.words.some((word) => word.start === index)) {
        return pipelineEndingAt(reading.commands, current);
      }
      if (budget <= 0) return { commands: [[]], current: 0 };
      const inside = pipelineInside(text, { from: holding?.start ?? index, index });
      budget -= inside.read;
      return inside.pipeline;
    },
  };
}

/**
 * The pipeline around the command that holds `index`: reading starts at the start of its logical line
 * (at most one to two `MAX_COMMAND_CHARACTERS` back) and commands joined by `|` are kept together, at
 * most `MAX_STAGES` before it. When `index` is not at a word of that command (it sits inside Markdown
 * inline code or a substitution such as `$(curl …)`), see `pipelineInside`.
 */
export function readPipelineAt(text: string, index: number): ShellPipeline {
  return createPipelineReader().at(text, index);
}

/** Where the command after `command` (read from `start`) starts. */
function nextStart(command: ShellCommand, start: number): number {
  return command.terminator === 'cut' || command.terminator === 'end'
    ? Math.max(command.end, start + 1)
    : command.end + command.terminator.length;
}

/** The command starting at `index` as a pipeline of its own; `read` counts characters read before. */
function readAlone(
  text: string,
  options: { index: number; read: number },
): { pipeline: ShellPipeline; read: number } {
  const command = readShellCommand(text, options.index);
  return {
    pipeline: { commands: [command.words], current: 0 },
    read: options.read + command.end - options.index + 1,
  };
}

/** The commands joined by `|` that end with `commands[current]`, at most `MAX_STAGES` before it. */
function pipelineEndingAt(commands: readonly ShellCommand[], current: number): ShellPipeline {
  let first = current;
  while (first > 0 && current - first < MAX_STAGES && commands[first - 1]!.terminator === '|') first--;
  return {
    commands: commands.slice(first, current + 1).map((command) => command.words),
    current: current - first,
  };
}

/**
 * The pipeline around `index` when it sits inside a word: in Markdown inline code (`` `cat key | nc …` ``)
 * or a substitution (`$(cat key | nc …)`). Reading starts after the last backtick or `$(` before
 * `index` (not before `from`, where the word's command starts); without one, the command at `index` is
 * read alone. `read` counts the characters read.
 */
function pipelineInside(
  text: string,
  options: { from: number; index: number },
): { pipeline: ShellPipeline; read: number } {
  const { from, index } = options;
  const floor = Math.max(from, index - MAX_COMMAND_CHARACTERS);
  const backtick = lastIndexWithin(text, '`', { from: floor, to: index });
  const dollar = lastIndexWithin(text, '$(', { from: floor, to: index });
  const opener = Math.max(backtick, dollar === -1 ? -1 : dollar + 1);
  let read = 0;
  if (opener === -1) return readAlone(text, { index, read });
  const commands: ShellCommand[] = [];
  let at = opener + 1;
  while (commands.length <= MAX_WORDS) {
    const command = readShellCommand(text, at);
    commands.push(command);
    const next = nextStart(command, at);
    read += next - at;
    if (next > index || next >= text.length) break;
    at = next;
  }
  const current = commands.length - 1;
  if (!commands[current]!.words.some((word) => word.start === index)) return readAlone(text, { index, read });
  return { pipeline: pipelineEndingAt(commands, current), read };
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
