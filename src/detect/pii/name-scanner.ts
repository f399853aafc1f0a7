/**
 * A hand-written scanner for capitalized words. Names are looked for in every text, so this runs over
 * all input; a character loop is several times faster than a regular expression with Unicode classes
 * and lookbehind, and it cannot backtrack. Letters are ASCII and Latin-1 (José, Müller, Zoë).
 */

/** Longest name word considered. */
const MAX_WORD = 25;

function isUpper(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xde && code !== 0xd7);
}

function isLower(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 0xdf && code <= 0xff && code !== 0xf7);
}

/** True for letters, apostrophes and hyphens: a capital after one of these is inside a word. */
function isWordInner(code: number): boolean {
  return isUpper(code) || isLower(code) || code === 39 || code === 0x2019 || code === 45;
}

// Prefixes written without a space before a capital: McDonald, MacArthur, O'Brien, DeWitt, LaToya.
const JOINED_PREFIXES = new Set(['Mc', 'Mac', 'De', 'Di', 'La', 'Le', 'Du']);

function lowerRun(text: string, from: number): number {
  let position = from;
  while (position < text.length && position - from < MAX_WORD && isLower(text.charCodeAt(position)))
    position += 1;
  return position;
}

/**
 * The end of the capitalized word starting at `start` (a capital followed by 1–24 lowercase letters,
 * joined prefixes and one hyphenated part allowed), or -1 when no such word starts there.
 */
export function capitalizedWordEnd(text: string, start: number): number {
  if (!isUpper(text.charCodeAt(start))) return -1;
  let end = start + 1;
  // O'Brien
  if (
    text.charCodeAt(start) === 79 &&
    (text[end] === "'" || text[end] === '’') &&
    isUpper(text.charCodeAt(end + 1))
  ) {
    end += 2;
  }
  let after = lowerRun(text, end);
  if (after === end) return -1;
  if (
    after - start <= 3 &&
    isUpper(text.charCodeAt(after)) &&
    JOINED_PREFIXES.has(text.slice(start, after))
  ) {
    const joined = lowerRun(text, after + 1);
    if (joined > after + 1) after = joined;
  }
  end = after;
  if (text.charCodeAt(end) === 45 && isUpper(text.charCodeAt(end + 1))) {
    const hyphenated = lowerRun(text, end + 2);
    if (hyphenated > end + 2) end = hyphenated;
  }
  if (end - start > MAX_WORD * 2 || isUpper(text.charCodeAt(end))) return -1; // ALLCAPS or camelCase
  return end;
}

// Lowercase name particles (`van der`, `de la`) that `nextNameWord` skips, and their first letters.
const PARTICLE_INITIALS = 'vdlbiae';
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'le',
  'la',
  'bin',
  'ibn',
  'al',
  'el',
]);

// Jumps from capital to capital with a one-character-class pattern, which the regular expression engine
// scans much faster than a JavaScript character loop; `test` allocates no match object.
// The lookbehind skips capitals inside a word (camelCase, ALLCAPS, McDonald) in the engine, without a
// call per capital; it holds exactly the characters `isWordInner` accepts, which the loop still checks.
const CAPITAL = /(?<![A-Za-zÀ-ÖØ-öø-ÿ'’-])[A-ZÀ-ÖØ-Þ]/g;
// The same jump, but it also consumes the commonest capitalized word, a sentence start: at most 24
// lowercase letters, a space and a lowercase letter that does not open a particle: either one that
// cannot (`vdlbiae`), or one that can but where no particle and space follow (`nextNameWord` reads a
// particle as a whole lowercase run followed by a space, so `der ` is one and `dear ` or `de-` is not).
// For such a word `nextNameWord` finds nothing and there is no capital inside it, so a visitor that only
// acts on a word followed by a name word or by punctuation (the person gazetteer) would return at once.
// When the match ends on a lowercase letter the word was consumed this way and the scan goes on after it.
const CAPITAL_OR_SENTENCE_WORD = new RegExp(
  `(?<![A-Za-zÀ-ÖØ-öø-ÿ'’-])[A-ZÀ-ÖØ-Þ](?:[a-zß-öø-ÿ]{1,24} (?:[cf-hj-km-uw-zß-öø-ÿ]|(?!${[...PARTICLES].map((particle) => `${particle} `).join('|')})[${PARTICLE_INITIALS}]))?`,
  'g',
);

/** Patterns used by the scanner (for the ReDoS test). */
export const NAME_SCANNER_PATTERNS: readonly RegExp[] = [CAPITAL, CAPITAL_OR_SENTENCE_WORD];

/**
 * Calls `visit(start, end)` for every capitalized word that does not start inside another word; `visit`
 * may return a position to continue from (after a multi-word name). With `skipSentenceWords`, words
 * followed by a space and a plain lowercase word are not visited (for visitors that ignore them).
 */
export function forEachCapitalizedWord(
  text: string,
  visit: (start: number, end: number) => number | undefined,
  options: { skipSentenceWords?: boolean } = {},
): void {
  const pattern = options.skipSentenceWords ? CAPITAL_OR_SENTENCE_WORD : CAPITAL;
  pattern.lastIndex = 0;
  while (pattern.test(text)) {
    const index = pattern.lastIndex - 1;
    if (!isUpper(text.charCodeAt(index))) continue; // a consumed sentence word
    if (index > 0 && isWordInner(text.charCodeAt(index - 1))) continue;
    const end = capitalizedWordEnd(text, index);
    if (end < 0) continue;
    const resume = visit(index, end);
    pattern.lastIndex = resume !== undefined && resume > end ? resume : end;
  }
}

/**
 * The next name word after a single space at `position`, skipping up to two lowercase particles
 * (`van der`, `de la`) and a middle initial (`J.`). Returns its span or undefined.
 */
export function nextNameWord(text: string, position: number): { start: number; end: number } | undefined {
  let cursor = position;
  for (let step = 0; step < 3; step += 1) {
    if (text.charCodeAt(cursor) !== 32) return undefined;
    cursor += 1;
    const end = capitalizedWordEnd(text, cursor);
    if (end > 0) return { start: cursor, end };
    // middle initial "J."
    if (isUpper(text.charCodeAt(cursor)) && text.charCodeAt(cursor + 1) === 46 && step === 0) {
      cursor += 2;
      continue;
    }
    if (!PARTICLE_INITIALS.includes(text[cursor] ?? '')) return undefined;
    let particleEnd = cursor;
    while (particleEnd < text.length && particleEnd - cursor < 6 && isLower(text.charCodeAt(particleEnd)))
      particleEnd += 1;
    // Particles are two to five letters and a name word must follow after a space; checking that first
    // avoids cutting a string for most lowercase words ("and the", "is a").
    const length = particleEnd - cursor;
    if (length < 2 || length > 5 || text.charCodeAt(particleEnd) !== 32) return undefined;
    if (!PARTICLES.has(text.slice(cursor, particleEnd))) return undefined;
    cursor = particleEnd;
  }
  return undefined;
}
