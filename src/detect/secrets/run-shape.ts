/**
 * A cheap necessary condition for a provider pattern to match at a position, read from the pattern's
 * source. Context rules try their pattern at every token start in a window of ~120 characters after each
 * keyword, and most of those attempts are ordinary words that a regex call only rejects after the call's
 * fixed cost. Most patterns are a run of characters from a few ASCII classes between a negative
 * lookbehind and a negative lookahead, e.g. `(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{44}(?![A-Za-z0-9_-])`; for
 * those, a few character reads rule out nearly every start, and the regex still decides every start that
 * remains, so the result is the regex's own.
 *
 * Only patterns made of the pieces below are understood; any other syntax (groups, alternation, escapes
 * such as `\d` or `\s`, non-ASCII characters) leaves the pattern without a shape and it runs as before.
 */

/** What every match of a pattern must look like, as tests on ASCII codes. */
export interface RunShape {
  /** False only where the pattern cannot match starting at `start` (sticky, as the matchers run it). */
  canMatchAt(text: string, start: number): boolean;
  /** The first start in `from` .. `to` - 1 where `canMatchAt` holds, or `to` (`to` ≤ the text's length). */
  nextStart(text: string, from: number, to: number): number;
}

/** Membership of the 128 ASCII codes; a code of 128 or more is in no class (classes are ASCII-only). */
type CodeSet = Uint8Array;

interface Atom {
  set: CodeSet;
  min: number;
  max: number;
}

/** Parses `[...]` starting at `at` (the `[`): the set and the index after `]`, or undefined. */
function parseClass(source: string, at: number): { set: CodeSet; next: number } | undefined {
  const set = new Uint8Array(128);
  let index = at + 1;
  if (source[index] === '^' || source[index] === ']') return undefined;
  const literal = (): number | undefined => {
    const character = source[index];
    if (character === undefined || character === ']') return undefined;
    if (character === '\\') {
      const escaped = source[index + 1];
      // Only escaped punctuation (`\/`, `\-`, `\.`) is a plain character; `\d`, `\w`, `\x41`… are not.
      if (escaped === undefined || /[A-Za-z0-9]/.test(escaped)) return undefined;
      index += 2;
      return escaped.charCodeAt(0);
    }
    index += 1;
    return character.charCodeAt(0);
  };
  while (source[index] !== ']') {
    const low = literal();
    if (low === undefined || low > 127) return undefined;
    // A `-` between two characters is a range; first or last in the class it is the character itself.
    if (source[index] === '-' && source[index + 1] !== ']' && source[index + 1] !== undefined) {
      index += 1;
      const high = literal();
      if (high === undefined || high > 127 || high < low) return undefined;
      set.fill(1, low, high + 1);
    } else {
      set[low] = 1;
    }
  }
  return { set, next: index + 1 };
}

/** Parses one atom (a class, an escaped punctuation character or a plain character) at `at`. */
function parseAtomSet(source: string, at: number): { set: CodeSet; next: number } | undefined {
  const character = source[at];
  if (character === undefined) return undefined;
  if (character === '[') return parseClass(source, at);
  const set = new Uint8Array(128);
  if (character === '\\') {
    const escaped = source[at + 1];
    if (escaped === undefined || /[A-Za-z0-9]/.test(escaped)) return undefined;
    set[escaped.charCodeAt(0)] = 1;
    return escaped.charCodeAt(0) > 127 ? undefined : { set, next: at + 2 };
  }
  // Letters, digits and the few punctuation characters that are literal outside a class.
  if (!/[A-Za-z0-9_~\-:=%@!,;'"<>#&/ ]/.test(character)) return undefined;
  set[character.charCodeAt(0)] = 1;
  return { set, next: at + 1 };
}

/** Parses an optional quantifier (`{n}`, `{n,m}`, `?`) at `at`. Lazy or other quantifiers: undefined. */
function parseQuantifier(source: string, at: number): { min: number; max: number; next: number } | undefined {
  const braces = /^\{([0-9]{1,4})(?:,([0-9]{1,4}))?\}/.exec(source.slice(at, at + 12));
  let result: { min: number; max: number; next: number } = { min: 1, max: 1, next: at };
  if (braces) {
    const min = Number(braces[1]);
    const max = braces[2] === undefined ? min : Number(braces[2]);
    if (max < min) return undefined;
    result = { min, max, next: at + braces[0].length };
  } else if (source[at] === '?') {
    result = { min: 0, max: 1, next: at + 1 };
  } else if (source[at] === '*' || source[at] === '+') {
    return undefined;
  }
  // `{n,m}?` (lazy) changes which match is found first; not worth understanding here.
  if (source[result.next] === '?' && result.next !== at) return undefined;
  return result;
}

/** Parses `(?<![...])` or `(?![...])` at `at`: the class and the index after `)`. */
function parseLookaround(
  source: string,
  at: number,
  opener: string,
): { set: CodeSet; next: number } | undefined {
  if (!source.startsWith(opener, at)) return undefined;
  const parsed = parseClass(source, at + opener.length);
  if (!parsed || source[parsed.next] !== ')') return undefined;
  return { set: parsed.set, next: parsed.next + 1 };
}

/** How many leading characters `canMatchAt` checks against their classes before counting the run. */
const PREFIX_LIMIT = 16;

function isIn(set: CodeSet, code: number): boolean {
  return code < 128 && set[code] === 1;
}

/**
 * The shape of `pattern` (`(?<![B])?` atoms `(?![A])?`, where atoms are classes and characters with
 * `{n}`, `{n,m}` or `?`), or undefined when the pattern has any other syntax or flags.
 */
export function runShape(pattern: RegExp): RunShape | undefined {
  if (pattern.flags.replace(/[dgy]/g, '') !== '') return undefined;
  const { source } = pattern;
  let index = 0;
  const behind = parseLookaround(source, 0, '(?<!');
  if (behind) index = behind.next;
  const atoms: Atom[] = [];
  let ahead: { set: CodeSet; next: number } | undefined;
  while (index < source.length) {
    ahead = parseLookaround(source, index, '(?!');
    if (ahead) {
      index = ahead.next;
      break;
    }
    const atom = parseAtomSet(source, index);
    if (!atom) return undefined;
    const quantifier = parseQuantifier(source, atom.next);
    if (!quantifier) return undefined;
    atoms.push({ set: atom.set, min: quantifier.min, max: quantifier.max });
    index = quantifier.next;
  }
  if (index !== source.length || atoms.length === 0) return undefined;

  // Every character a match consumes is in `body`, the union of the atoms' classes.
  const body = new Uint8Array(128);
  let minimum = 0;
  let maximum = 0;
  for (const atom of atoms) {
    for (let code = 0; code < 128; code++) if (atom.set[code]) body[code] = 1;
    minimum += atom.min;
    maximum += atom.max;
  }
  // The classes of the first characters of every match, as far as they sit at fixed offsets: each atom's
  // first `min` characters, through the first atom whose length varies (up to `PREFIX_LIMIT`). Checking
  // them first keeps a near miss cheap (`A+A+…` against `AQE[…]{60,300}`) before the run is counted.
  // An atom whose class is the body's adds nothing the run count does not check, so the prefix ends
  // there (after its first character, which is still checked first).
  const prefix: CodeSet[] = [];
  for (const atom of atoms) {
    const sameAsBody = atom.set.every((inSet, code) => inSet === body[code]);
    const count = sameAsBody ? Math.min(atom.min, prefix.length === 0 ? 1 : 0) : atom.min;
    for (let added = 0; added < count && prefix.length < PREFIX_LIMIT; added++) prefix.push(atom.set);
    if (sameAsBody || atom.min !== atom.max || prefix.length >= PREFIX_LIMIT) break;
  }
  /** True when the characters at `start` fit the fixed-offset classes (the text may end before). */
  const prefixFits = (text: string, start: number): boolean => {
    for (let offset = 0; offset < prefix.length; offset++) {
      if (!isIn(prefix[offset]!, text.charCodeAt(start + offset))) return false;
    }
    return true;
  };
  // When the lookahead's class holds every body character, the match cannot stop inside a run of body
  // characters: it consumes the whole run, so the run's length is the match's length.
  const aheadSet = ahead?.set;
  const exact = aheadSet !== undefined && body.every((inBody, code) => !inBody || aheadSet[code] === 1);
  const before = behind?.set;

  // When the lookbehind's class holds every body character, no start inside a run of body characters can
  // match (the character before it is in the run), so a failed start skips the rest of its run.
  const skipsRuns = before !== undefined && body.every((inBody, code) => !inBody || before[code] === 1);

  /** The end of the run of body characters at `start`, counted up to `maximum + 1` characters. */
  const runEnd = (text: string, start: number): number => {
    const limit = Math.min(text.length, start + maximum + 1);
    let end = start;
    while (end < limit && isIn(body, text.charCodeAt(end))) end++;
    return end;
  };
  // A match is `minimum`..`maximum` characters, all from `body`: the run of body characters at `start` is
  // at least that long, and exactly the match when the match must consume the whole run.
  const runFits = (run: number): boolean => run >= minimum && !(exact && run > maximum);

  return {
    canMatchAt(text, start) {
      // The lookbehind sees the character before `start` (none at the start of the text).
      if (before && start > 0 && isIn(before, text.charCodeAt(start - 1))) return false;
      if (!prefixFits(text, start)) return false;
      return runFits(runEnd(text, start) - start);
    },
    nextStart(text, from, to) {
      let start = from;
      while (start < to) {
        if (before && start > 0 && isIn(before, text.charCodeAt(start - 1))) {
          start++;
          continue;
        }
        if (!prefixFits(text, start)) {
          start++;
          continue;
        }
        const end = runEnd(text, start);
        if (runFits(end - start)) return start;
        // Starts start + 1 .. end follow a body character, which the lookbehind rejects.
        start = skipsRuns && end > start ? end + 1 : start + 1;
      }
      return to;
    },
  };
}
