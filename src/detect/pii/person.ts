import { literalPositions } from '../find-literal.js';
import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextWindow, hasAnyWord, NEGATIVE_CONTEXT_WORDS } from './context-words.js';
import { FIRST_NAMES } from './first-names.js';
import {
  capitalizedWordEnd,
  forEachCapitalizedWord,
  NAME_SCANNER_PATTERNS,
  nextNameWord,
} from './name-scanner.js';
import { NOT_NAME_WORDS } from './name-words.js';
import { SURNAMES } from './surnames.js';

// Names are found without any model or network call: titles and phrases that introduce a name, a
// gazetteer of given names and surnames, and capitalization.
/**
 * Phrases and titles that introduce a name; the name follows after whitespace. Sticky: tried only where
 * the word scan saw an introducer word or a substring search found a lowercase phrase.
 */
const INTRODUCER =
  /(?<![A-Za-z])(?:[Mm]y name is|[Mm]y name's|[Nn]ame:|[Ss]igned,|[Rr]egards,|[Ss]incerely,|[Dd]ear|[Cc]ontact person:|Mr\.?|Mrs\.?|Ms\.?|Mx\.?|Miss|Dr\.|Prof\.|Professor|Sir|Dame|Herr|Frau|Mme\.?|Mlle\.?|Monsieur|Madame|Señora?|Sra?\.|Officer|Detective|Judge|Captain|Sgt\.|Agent)[ \t]{0,3}\r?\n?[ \t]{0,3}(?=[A-ZÀ-ÖØ-Þ])/y;
/** Introducers strong enough to mark an unlisted capitalized word as a name. */
const STRONG_INTRODUCER =
  /^(?:[Mm]y name|[Nn]ame:|Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Monsieur|Madame|Señor|Sr|Sra|Officer|Detective|Judge|Captain|Sgt|Agent)/;

/** Capitalized words that may open an introducer; the introducer pattern only runs when one is seen. */
const INTRODUCER_WORDS: ReadonlySet<string> = new Set(
  'My Name Signed Regards Sincerely Dear Contact Mr Mrs Ms Mx Miss Dr Prof Professor Sir Dame Herr Frau Mme Mlle Monsieur Madame Señor Señora Sr Sra Officer Detective Judge Captain Sgt Agent'.split(
    ' ',
  ),
);
/** Lowercase introducers (`name`, `regards,`) are found with substring searches before the pattern runs. */

const COMBINING_MARKS = /\p{M}/gu;
const FIRST = 1;
const SURNAME = 2;
const NOT_NAME = 4;
const INTRODUCES = 8;

// One lookup per capitalized word instead of one per list: every listed word maps to its roles.
const WORD_ROLES = new Map<string, number>();
for (const [words, role] of [
  [FIRST_NAMES, FIRST],
  [SURNAMES, SURNAME],
  [NOT_NAME_WORDS, NOT_NAME],
  [INTRODUCER_WORDS, INTRODUCES],
] as const) {
  for (const word of words) WORD_ROLES.set(word, (WORD_ROLES.get(word) ?? 0) | role);
}

function hasNonAscii(word: string): boolean {
  for (let index = 0; index < word.length; index += 1) if (word.charCodeAt(index) > 127) return true;
  return false;
}

/** The roles of a word; accents are folded so `José` and `García` match `Jose` and `Garcia`. */
function rolesOf(word: string): number {
  const roles = WORD_ROLES.get(word);
  if (roles !== undefined) return roles;
  if (!hasNonAscii(word)) return 0;
  return WORD_ROLES.get(word.normalize('NFD').replace(COMBINING_MARKS, '')) ?? 0;
}

function isFirstName(word: string): boolean {
  return (rolesOf(word) & FIRST) !== 0;
}

function isSurname(word: string): boolean {
  return (rolesOf(word) & SURNAME) !== 0;
}

/** Where a lowercase introducer may start ("my name is" starts three characters before "name"). */
function lowercaseIntroducerPositions(text: string): number[] {
  const positions: number[] = [];
  let index = text.indexOf('name');
  while (index >= 0) {
    positions.push(index);
    if (index >= 3) positions.push(index - 3);
    index = text.indexOf('name', index + 4);
  }
  // "regards," cannot overlap itself, so its occurrences are the same whichever way they are found;
  // searching by its comma stops far less often than searching by its first letter.
  for (const position of literalPositions(text, 'regards,', ',')) positions.push(position);
  return positions;
}

/** True when only spaces separate `index` from the start of the text or of a sentence. */
function sentenceInitial(text: string, index: number): boolean {
  let position = index - 1;
  while (position >= 0 && text[position] === ' ') position -= 1;
  return position < 0 || '.!?\n\r"“(:'.includes(text[position]!);
}

/** Extends a name from `end` over up to `maxWords` further name words. */
function extendName(text: string, end: number, maxWords: number): { end: number; words: string[] } {
  const words: string[] = [];
  let position = end;
  for (let index = 0; index < maxWords; index += 1) {
    const next = nextNameWord(text, position);
    if (next === undefined) break;
    const word = text.slice(next.start, next.end);
    if (rolesOf(word) & NOT_NAME) break;
    words.push(word);
    position = next.end;
  }
  return { end: position, words };
}

function candidate(options: { text: string; start: number; end: number; score: number }): PiiCandidate {
  // Fields spelled out: an object spread costs far more than the context lookup itself.
  const { text, start, end } = options;
  const negative = hasAnyWord(
    contextWindow({ text, start, end, before: 30, after: 10 }),
    NEGATIVE_CONTEXT_WORDS,
  );
  const score = clampScore(options.score - (negative ? 0.2 : 0));
  return {
    type: 'PERSON',
    start: options.start,
    end: options.end,
    score,
    severity: 'medium',
    ruleId: 'pii.person',
  };
}

function introducedNames(text: string, positions: readonly number[]): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  let after = -1;
  for (const position of positions) {
    if (position < after) continue;
    INTRODUCER.lastIndex = position;
    const intro = INTRODUCER.exec(text);
    if (!intro) continue;
    const start = intro.index + intro[0].length;
    const firstEnd = capitalizedWordEnd(text, start);
    if (firstEnd < 0) continue;
    const first = text.slice(start, firstEnd);
    if (rolesOf(first) & NOT_NAME) continue;
    const rest = extendName(text, firstEnd, 3);
    const knownFirst = isFirstName(first);
    const knownLast = isSurname(first) || rest.words.some(isSurname);
    if (!knownFirst && !knownLast && !STRONG_INTRODUCER.test(intro[0])) continue;
    found.push(candidate({ text, start, end: rest.end, score: knownFirst || knownLast ? 0.85 : 0.7 }));
    after = rest.end;
  }
  return found;
}

function gazetteerNames(text: string): { found: PiiCandidate[]; introducerAt: number[] } {
  const found: PiiCandidate[] = [];
  const introducerAt: number[] = [];
  forEachCapitalizedWord(
    text,
    (start, end) => {
      // Most capitalized words open a sentence and are followed by a lowercase word: such a word can only
      // matter as a title or closing followed by punctuation ("Dr.", "Regards,"), so look it up only then.
      const following = text.charCodeAt(end);
      const punctuated = following === 46 || following === 44 || following === 58; // . , :
      if (!punctuated && nextNameWord(text, end) === undefined) return undefined;
      const roles = rolesOf(text.slice(start, end));
      if (roles & INTRODUCES) introducerAt.push(start);
      if (punctuated) return undefined;
      if (roles & FIRST) {
        const rest = extendName(text, end, 2);
        if (rest.words.length === 0) return undefined; // a lone given name is too weak without an introducer
        const score = rest.words.some(isSurname) ? 0.85 : 0.7;
        found.push(candidate({ text, start, end: rest.end, score }));
        return rest.end;
      }
      // An unlisted capitalized word followed by a listed surname ("Kwabena Smith"), unless it is a
      // common capitalized word or opens a sentence, where capitals say nothing.
      if (roles & NOT_NAME) return undefined;
      const next = nextNameWord(text, end);
      if (next === undefined || !isSurname(text.slice(next.start, next.end))) return undefined;
      found.push(candidate({ text, start, end: next.end, score: sentenceInitial(text, start) ? 0.45 : 0.6 }));
      return next.end;
    },
    { skipSentenceWords: true },
  );
  return { found, introducerAt };
}

/** PERSON: introduced names ("my name is", titles, letter closings) and gazetteer name pairs. */
export const personRecognizer: Recognizer = {
  name: 'person',
  types: ['PERSON'],
  patterns: [INTRODUCER, STRONG_INTRODUCER, COMBINING_MARKS, ...NAME_SCANNER_PATTERNS],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    const gazetteer = gazetteerNames(text);
    const positions = gazetteer.introducerAt;
    const lowercase = lowercaseIntroducerPositions(text);
    if (lowercase.length > 0) {
      // A loop, not a spread: a hostile text can hold more positions than a call has argument slots.
      for (const position of lowercase) positions.push(position);
      positions.sort((a, b) => a - b);
    }
    if (positions.length === 0) return gazetteer.found;
    // Names found by both passes are merged by overlap resolution.
    const found = introducedNames(text, positions);
    for (const name of gazetteer.found) found.push(name);
    return found;
  },
};
