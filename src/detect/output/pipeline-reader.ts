import {
  isContinuedBreak,
  lastIndexWithin,
  MAX_COMMAND_CHARACTERS,
  MAX_WORDS,
  readShellCommand,
  type ShellCommand,
  type ShellWord,
} from './shell-words.js';

// Which commands feed the one at a rule's match: the logical line around it is read with
// `readShellCommand`, commands joined by `|` are kept together, and a rule's matches in one text are
// served by one forward reading (see `createPipelineReader`).

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
    if (!isContinuedBreak(text, previous)) return previous + 1;
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
