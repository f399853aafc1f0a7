/**
 * Generates a random string matching one of the detector's own patterns, so tests carry no real keys:
 * uniform random characters in the right shape. Handles the subset the rules use: literals, escapes,
 * classes (with ranges and negation), groups, alternation and bounded quantifiers; lookarounds are
 * skipped (the caller places the sample between spaces).
 */
const SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

type Random = () => number;

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)] as T;
}

function escapeSet(escape: string): string[] {
  if (escape === 'd') return [...'0123456789'];
  if (escape === 's') return [' '];
  if (escape === 'w') return [...`${SAFE}_`];
  return [escape];
}

/** Parses a character class starting after `[`; returns the allowed characters and the index after `]`. */
function parseClass(source: string, start: number): { characters: string[]; next: number } {
  let index = start;
  const negated = source[index] === '^';
  if (negated) index++;
  const members = new Set<string>();
  while (source[index] !== ']') {
    let character = source[index] as string;
    if (character === '\\') {
      const escaped = source[index + 1] as string;
      index += 2;
      for (const member of escapeSet(escaped)) members.add(member);
      continue;
    }
    index++;
    if (source[index] === '-' && source[index + 1] !== ']') {
      const end = source[index + 1] === '\\' ? (source[index + 2] as string) : (source[index + 1] as string);
      index += source[index + 1] === '\\' ? 3 : 2;
      for (let code = character.charCodeAt(0); code <= end.charCodeAt(0); code++) {
        members.add(String.fromCharCode(code));
      }
      continue;
    }
    if (character === '\\') character = source[index] as string;
    members.add(character);
  }
  const characters = negated ? [...SAFE].filter((character) => !members.has(character)) : [...members];
  return { characters, next: index + 1 };
}

interface Node {
  generate(random: Random): string;
}

function parseAlternation(source: string, state: { index: number }): Node {
  const branches: Node[][] = [[]];
  while (state.index < source.length && source[state.index] !== ')') {
    if (source[state.index] === '|') {
      state.index++;
      branches.push([]);
      continue;
    }
    const atom = parseAtom(source, state);
    if (atom) (branches[branches.length - 1] as Node[]).push(parseQuantifier(source, state, atom));
  }
  return {
    generate: (random) =>
      pick(branches, random)
        .map((node) => node.generate(random))
        .join(''),
  };
}

function parseAtom(source: string, state: { index: number }): Node | undefined {
  const character = source[state.index] as string;
  if (character === '(') {
    const lookaround = /^\(\?<?[!=]/.exec(source.slice(state.index));
    state.index += lookaround ? lookaround[0].length : source.startsWith('(?:', state.index) ? 3 : 1;
    const named = /^\?<[A-Za-z]+>/.exec(source.slice(state.index));
    if (named) state.index += named[0].length;
    const inner = parseAlternation(source, state);
    state.index++; // ')'
    return lookaround ? undefined : inner;
  }
  if (character === '[') {
    const parsed = parseClass(source, state.index + 1);
    state.index = parsed.next;
    return { generate: (random) => pick(parsed.characters, random) };
  }
  if (character === '\\') {
    const set = escapeSet(source[state.index + 1] as string);
    state.index += 2;
    return { generate: (random) => pick(set, random) };
  }
  state.index++;
  return { generate: () => character };
}

function parseQuantifier(source: string, state: { index: number }, atom: Node): Node {
  const quantifier = /^(?:\{(\d+)(?:,(\d*))?\}|[?*+])/.exec(source.slice(state.index));
  if (!quantifier) return atom;
  state.index += quantifier[0].length;
  let minimum = 1;
  let maximum = 1;
  if (quantifier[0] === '?') [minimum, maximum] = [0, 1];
  else if (quantifier[0] === '*') [minimum, maximum] = [0, 4];
  else if (quantifier[0] === '+') [minimum, maximum] = [1, 4];
  else {
    minimum = Number(quantifier[1]);
    maximum = quantifier[2] === undefined ? minimum : quantifier[2] === '' ? minimum + 8 : Number(quantifier[2]);
  }
  maximum = Math.min(maximum, minimum + 8);
  return {
    generate: (random) => {
      const count = minimum + Math.floor(random() * (maximum - minimum + 1));
      let out = '';
      for (let repeat = 0; repeat < count; repeat++) out += atom.generate(random);
      return out;
    },
  };
}

/** A small seeded generator (mulberry32) so generated keys are the same on every run. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed derived from a string, for per-rule samples. */
export function seedOf(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return hash >>> 0;
}

/** A random string matching `pattern` (lookarounds ignored). */
export function sampleFromPattern(pattern: RegExp, random: Random = Math.random): string {
  const state = { index: 0 };
  return parseAlternation(pattern.source, state).generate(random);
}
