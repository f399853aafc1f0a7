/**
 * Cross-script lookalikes folded to the Latin letter they imitate (the "skeleton" of a word).
 *
 * Why a compact table rather than Unicode's confusables.txt (UTS #39) or a library: the full data maps
 * ~6,000 characters, many of them onto sequences or onto each other across scripts, which would mangle
 * legitimate non-Latin text and cost memory on every lookup. Attacks that hide keywords from filters use
 * a small, well-known set: Cyrillic and Greek letters (and a few Armenian and IPA ones) that render like
 * Latin letters. Fullwidth and mathematical alphanumerics are already folded by NFKC, so they need no
 * entry here. Every entry maps one BMP code unit to one ASCII letter, so folding never changes lengths.
 */
const PAIRS: readonly (readonly [string, string])[] = [
  // Cyrillic lowercase
  ['а', 'a'],
  ['в', 'b'],
  ['с', 'c'],
  ['ԁ', 'd'],
  ['е', 'e'],
  ['ҽ', 'e'],
  ['һ', 'h'],
  ['і', 'i'],
  ['ӏ', 'l'],
  ['ј', 'j'],
  ['к', 'k'],
  ['м', 'm'],
  ['о', 'o'],
  ['р', 'p'],
  ['ԛ', 'q'],
  ['г', 'r'],
  ['ѕ', 's'],
  ['т', 't'],
  ['у', 'y'],
  ['ү', 'y'],
  ['ѵ', 'v'],
  ['ԝ', 'w'],
  ['х', 'x'],
  ['ь', 'b'],
  ['п', 'n'],
  // Cyrillic uppercase
  ['А', 'A'],
  ['В', 'B'],
  ['С', 'C'],
  ['Е', 'E'],
  ['Н', 'H'],
  ['І', 'I'],
  ['Ӏ', 'I'],
  ['Ј', 'J'],
  ['К', 'K'],
  ['М', 'M'],
  ['О', 'O'],
  ['Р', 'P'],
  ['Ԛ', 'Q'],
  ['Ѕ', 'S'],
  ['Т', 'T'],
  ['Х', 'X'],
  ['У', 'Y'],
  ['Ү', 'Y'],
  ['Ԝ', 'W'],
  ['Ѵ', 'V'],
  // Greek lowercase
  ['α', 'a'],
  ['ϲ', 'c'],
  ['ε', 'e'],
  ['η', 'n'],
  ['ι', 'i'],
  ['κ', 'k'],
  ['ν', 'v'],
  ['ο', 'o'],
  ['ρ', 'p'],
  ['τ', 't'],
  ['υ', 'u'],
  ['χ', 'x'],
  ['γ', 'y'],
  ['ω', 'w'],
  // Greek uppercase
  ['Α', 'A'],
  ['Β', 'B'],
  ['Ϲ', 'C'],
  ['Ε', 'E'],
  ['Ζ', 'Z'],
  ['Η', 'H'],
  ['Ι', 'I'],
  ['Κ', 'K'],
  ['Μ', 'M'],
  ['Ν', 'N'],
  ['Ο', 'O'],
  ['Ρ', 'P'],
  ['Τ', 'T'],
  ['Υ', 'Y'],
  ['Χ', 'X'],
  // Armenian, IPA and other Latin lookalikes
  ['օ', 'o'],
  ['ս', 'u'],
  ['ո', 'n'],
  ['հ', 'h'],
  ['ց', 'g'],
  ['ı', 'i'],
  ['ɑ', 'a'],
  ['ɡ', 'g'],
  ['ɩ', 'i'],
  ['ɪ', 'i'],
  ['ʏ', 'y'],
  ['ᴀ', 'a'],
  ['ᴄ', 'c'],
  ['ᴅ', 'd'],
  ['ᴇ', 'e'],
  ['ᴋ', 'k'],
  ['ᴍ', 'm'],
  ['ᴏ', 'o'],
  ['ᴘ', 'p'],
  ['ᴛ', 't'],
  ['ᴜ', 'u'],
  ['ᴠ', 'v'],
  ['ᴡ', 'w'],
  ['ᴢ', 'z'],
];

/** Code unit of a lookalike → code unit of the Latin letter it imitates. */
export const CONFUSABLE_TO_LATIN: ReadonlyMap<number, number> = new Map(
  PAIRS.map(([from, to]) => [from.charCodeAt(0), to.charCodeAt(0)]),
);

/** The Latin letter a code unit imitates, or undefined. */
export function latinLookalike(codeUnit: number): number | undefined {
  return CONFUSABLE_TO_LATIN.get(codeUnit);
}

/** True for ASCII letters and the Latin letters of Latin-1 and Latin Extended-A/B. */
export function isLatinLetter(codeUnit: number): boolean {
  return (
    (codeUnit >= 0x41 && codeUnit <= 0x5a) ||
    (codeUnit >= 0x61 && codeUnit <= 0x7a) ||
    (codeUnit >= 0xc0 && codeUnit <= 0x24f && codeUnit !== 0xd7 && codeUnit !== 0xf7)
  );
}
