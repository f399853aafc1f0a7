import { isWhitespace } from '../is-whitespace.js';
import type { ShellWord } from './shell-words.js';

// What a command is fed by here-documents (`ftp -n host <<EOF … EOF`, `python3 - <<'EOF' … EOF`) and
// here-strings (`sftp host <<< 'put key'`). The command reader stops at the line break, so the bodies
// are found by one forward reading of the text per text: each `<<` outside a body opens one, whose lines
// run to the line holding only its delimiter, a Markdown fence, `MAX_BODY_CHARACTERS` or the text's end,
// and the reading goes on after it. Every character is looked at a bounded number of times, and the
// bodies depend on the text alone.

/** Characters of one body kept at most; a longer body is cut there. */
const MAX_BODY_CHARACTERS = 8000;
/** Characters of a delimiter read at most. */
const MAX_DELIMITER_CHARACTERS = 64;

const NEWLINE = 10;
const LESS = 60;
const DASH = 45;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKSLASH = 92;

/** Characters that end a bare delimiter word. */
function endsWord(code: number): boolean {
  return (
    Number.isNaN(code) ||
    isWhitespace(code) ||
    code === 59 ||
    code === 124 ||
    code === 38 ||
    code === 60 ||
    code === 62 ||
    code === 41 ||
    code === 96
  );
}

/** The delimiter written after `<<` or `<<-` at `at` (quotes removed), and where it ends. */
function readDelimiter(text: string, at: number): { delimiter: string; end: number } | undefined {
  let index = at;
  const limit = Math.min(text.length, at + MAX_DELIMITER_CHARACTERS);
  while (index < limit && text.charCodeAt(index) !== NEWLINE && isWhitespace(text.charCodeAt(index))) index++;
  let delimiter = '';
  while (index < limit) {
    const code = text.charCodeAt(index);
    if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
      const close = text.slice(index + 1, limit).indexOf(text[index]!);
      if (close === -1) return undefined;
      delimiter += text.slice(index + 1, index + 1 + close);
      index += close + 2;
      continue;
    }
    if (code === BACKSLASH) {
      index++;
      continue;
    }
    if (endsWord(code)) break;
    delimiter += text[index];
    index++;
  }
  return delimiter.length === 0 ? undefined : { delimiter, end: index };
}

/** The line that starts at `at`: its text and where the next one starts (-1 after the last). */
function lineAt(text: string, at: number, limit: number): { line: string; next: number } {
  const slice = text.slice(at, limit);
  const lineBreak = slice.indexOf('\n');
  if (lineBreak === -1) return { line: slice, next: -1 };
  return { line: slice.slice(0, lineBreak), next: at + lineBreak + 1 };
}

/** The bodies of one text by the offset of their `<<`. */
function readBodies(text: string): Map<number, string> {
  const bodies = new Map<number, string>();
  let from = 0;
  for (;;) {
    const at = text.indexOf('<<', from);
    if (at === -1) return bodies;
    // `<<<` is a here-string, read from the command's words.
    if (text.charCodeAt(at + 2) === LESS || text.charCodeAt(at - 1) === LESS) {
      from = at + 3;
      continue;
    }
    const dash = text.charCodeAt(at + 2) === DASH;
    const found = readDelimiter(text, at + (dash ? 3 : 2));
    const lineBreak = found === undefined ? -1 : text.indexOf('\n', found.end);
    if (found === undefined || lineBreak === -1) {
      from = at + 2;
      continue;
    }
    const start = lineBreak + 1;
    const limit = Math.min(text.length, start + MAX_BODY_CHARACTERS);
    let end = limit;
    let next = limit;
    for (let line = start; line !== -1 && line < limit; ) {
      const read = lineAt(text, line, limit);
      const trimmed = read.line.trim();
      if (trimmed === found.delimiter || trimmed.startsWith('```')) {
        end = line;
        next = read.next === -1 ? limit : read.next;
        break;
      }
      line = read.next;
    }
    bodies.set(at, text.slice(start, end));
    from = Math.max(next, at + 2);
  }
}

let lastText: string | undefined;
let lastBodies = new Map<number, string>();

/** The here-document body opened by the `<<` at `at`, when the text has one there. */
export function hereDocumentAt(text: string, at: number): string | undefined {
  if (text !== lastText) {
    lastBodies = text.includes('<<') ? readBodies(text) : new Map();
    lastText = text;
  }
  return lastBodies.get(at);
}

/**
 * The texts fed to a command's standard input by its here-documents and here-strings (its words hold
 * the `<` operator word followed by the delimiter or the string).
 */
export function fedTexts(text: string, words: readonly ShellWord[]): string[] {
  const fed: string[] = [];
  words.forEach((word, index) => {
    if (word.value !== '<' || text.charCodeAt(word.start + 1) !== LESS) return;
    if (text.charCodeAt(word.start + 2) === LESS) {
      const next = words[index + 1];
      if (next !== undefined) fed.push(next.value);
      return;
    }
    const body = hereDocumentAt(text, word.start);
    if (body !== undefined) fed.push(body);
  });
  return fed;
}
