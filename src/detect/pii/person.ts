import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextWindow, hasAnyWord, NEGATIVE_CONTEXT_WORDS } from './context-words.js';
import { FIRST_NAMES } from './first-names.js';
import { NOT_NAME_WORDS } from './name-words.js';
import { SURNAMES } from './surnames.js';

// Names are found without any model or network call: titles and phrases that introduce a name, a
// gazetteer of given names and surnames, and capitalization. Letters cover Latin-1 so José, Müller and
// Zoë are words; each word is bounded in length.
const UPPER = 'A-ZÀ-ÖØ-Þ';
const LOWER = 'a-zß-öø-ÿ';
const WORD_SOURCE = `(?:Mc|Mac|O['’]|De|Di|La|Le)?[${UPPER}][${LOWER}]{1,24}(?:-[${UPPER}][${LOWER}]{1,24})?`;
/** Every capitalized word (global scan). */
const CAPITALIZED = new RegExp(`(?<![${UPPER}${LOWER}'’-])${WORD_SOURCE}`, 'g');
/** A capitalized word exactly at a position (sticky). */
const CAPITALIZED_AT = new RegExp(WORD_SOURCE, 'y');
/** One name word at a position, preceded by a space (sticky). */
const NEXT_WORD = new RegExp(
  ` (?:(?:van|von|der|den|de|del|della|da|di|du|le|la|bin|ibn|al|el) ){0,2}${WORD_SOURCE}`,
  'y',
);
/** A middle initial such as ` J.` (sticky). */
const MIDDLE_INITIAL = new RegExp(` [${UPPER}]\\.`, 'y');
/** Phrases and titles that introduce a name; the name follows after whitespace. */
const INTRODUCER =
  /(?<![A-Za-z])(?:[Mm]y name is|[Mm]y name's|[Nn]ame:|[Ss]igned,|[Rr]egards,|[Ss]incerely,|[Dd]ear|[Cc]ontact person:|Mr\.?|Mrs\.?|Ms\.?|Mx\.?|Miss|Dr\.|Prof\.|Professor|Sir|Dame|Herr|Frau|Mme\.?|Mlle\.?|Monsieur|Madame|Señora?|Sra?\.|Officer|Detective|Judge|Captain|Sgt\.|Agent)[ \t]{0,3}\r?\n?[ \t]{0,3}(?=[A-ZÀ-ÖØ-Þ])/g;
const TITLES_NEED_NO_GAZETTEER =
  /^(?:[Mm]y name|[Nn]ame:|Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Monsieur|Madame|Señor|Sr|Sra|Officer|Detective|Judge|Captain|Sgt|Agent)/;

/** True when only spaces separate `index` from the start of the text or of a sentence. */
function sentenceInitial(text: string, index: number): boolean {
  let position = index - 1;
  while (position >= 0 && text[position] === ' ') position -= 1;
  return position < 0 || '.!?\n\r"“(:'.includes(text[position]!);
}

function isNameWord(word: string): boolean {
  return !NOT_NAME_WORDS.has(word);
}

/** Extends a name from `end` over up to `maxWords` further capitalized words. Returns the new end. */
function extendName(text: string, end: number, maxWords: number): { end: number; words: string[] } {
  const words: string[] = [];
  let position = end;
  for (let index = 0; index < maxWords; index += 1) {
    MIDDLE_INITIAL.lastIndex = position;
    if (index === 0 && MIDDLE_INITIAL.test(text)) position = MIDDLE_INITIAL.lastIndex;
    NEXT_WORD.lastIndex = position;
    const match = NEXT_WORD.exec(text);
    if (!match) break;
    const word = match[0].slice(match[0].lastIndexOf(' ') + 1);
    if (!isNameWord(word)) break;
    words.push(word);
    position = NEXT_WORD.lastIndex;
  }
  return { end: position, words };
}

function push(
  found: PiiCandidate[],
  options: { text: string; start: number; end: number; score: number },
): void {
  const negative = hasAnyWord(contextWindow({ ...options, before: 30, after: 10 }), NEGATIVE_CONTEXT_WORDS);
  const score = clampScore(options.score - (negative ? 0.2 : 0));
  found.push({
    type: 'PERSON',
    start: options.start,
    end: options.end,
    score,
    severity: 'medium',
    ruleId: 'pii.person',
  });
}

/** PERSON: introduced names ("my name is", titles, letter closings) and gazetteer name pairs. */
export const personRecognizer: Recognizer = {
  name: 'person',
  types: ['PERSON'],
  patterns: [CAPITALIZED, CAPITALIZED_AT, NEXT_WORD, MIDDLE_INITIAL, INTRODUCER, TITLES_NEED_NO_GAZETTEER],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    const found: PiiCandidate[] = [];
    let coveredUntil = -1;
    for (const intro of text.matchAll(INTRODUCER)) {
      const start = intro.index + intro[0].length;
      CAPITALIZED_AT.lastIndex = start;
      const first = CAPITALIZED_AT.exec(text);
      if (!first || !isNameWord(first[0])) continue;
      const rest = extendName(text, start + first[0].length, 3);
      const knownFirst = FIRST_NAMES.has(first[0]);
      const knownLast = SURNAMES.has(first[0]) || rest.words.some((word) => SURNAMES.has(word));
      if (!knownFirst && !knownLast && !TITLES_NEED_NO_GAZETTEER.test(intro[0])) continue;
      const score = knownFirst || knownLast ? 0.85 : 0.7;
      push(found, { text, start, end: rest.end, score });
      coveredUntil = Math.max(coveredUntil, rest.end);
    }
    // Names found after an introducer are found again below; overlap resolution keeps one of each.
    coveredUntil = -1;
    for (const first of text.matchAll(CAPITALIZED)) {
      const start = first.index;
      if (start < coveredUntil) continue;
      const word = first[0];
      if (FIRST_NAMES.has(word)) {
        const rest = extendName(text, start + word.length, 2);
        if (rest.words.length === 0) continue; // a lone given name is too weak without an introducer
        const score = rest.words.some((part) => SURNAMES.has(part)) ? 0.85 : 0.7;
        push(found, { text, start, end: rest.end, score });
        coveredUntil = rest.end;
        continue;
      }
      // An unlisted capitalized word followed by a listed surname ("Kwabena Smith"), unless it is a
      // common capitalized word or opens a sentence, where capitals say nothing.
      if (NOT_NAME_WORDS.has(word)) continue;
      const rest = extendName(text, start + word.length, 1);
      if (rest.words.length === 0 || !SURNAMES.has(rest.words[0]!)) continue;
      const score = sentenceInitial(text, start) ? 0.45 : 0.6;
      push(found, { text, start, end: rest.end, score });
      coveredUntil = rest.end;
    }
    return found;
  },
};
