import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSegments, mayUnleet, unleet } from './decoders.js';
import { createEvidenceScanner, isScannedSubstring } from './text-evidence.js';

const VOCABULARY = ['ignore', 'previous', 'instructions', 'you', 'are', 'now', 'dan', 'rules', 'a', 'be'];
const SUBSTRINGS = [
  '<|',
  '[INST]',
  '##',
  '###',
  '---',
  '_of_turn>',
  '<system',
  '指令',
  '指示',
  '忽',
  'órdenes',
  'ии',
];
const KEYWORDS: ReadonlySet<string> = new Set(['ignore', 'previous', 'rules', 'above', 'secret']);
const scanner = createEvidenceScanner({
  vocabulary: VOCABULARY,
  substrings: SUBSTRINGS,
  flags: new Map([
    ['dan', 1],
    ['you', 2],
  ]),
});

/** The word index as the gate built it before: slice, lowercase, look up. */
function referenceWords(text: string): Map<string, number[]> {
  const words = new Map<string, number[]>();
  for (const match of text.matchAll(/[A-Za-z]+/g)) {
    const word = match[0].toLowerCase();
    if (word.length > 24 || !VOCABULARY.includes(word)) continue;
    words.set(word, [...(words.get(word) ?? []), match.index]);
  }
  return words;
}

/** Non-overlapping occurrences by `indexOf`, as the gate searched substrings before. */
function referenceSubstrings(text: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const anchor of SUBSTRINGS) {
    const positions: number[] = [];
    for (let at = text.indexOf(anchor); at >= 0; at = text.indexOf(anchor, at + anchor.length))
      positions.push(at);
    if (positions.length > 0) found.set(anchor, positions);
  }
  return found;
}

// Characters each piece of evidence reacts to, plus letters that spell vocabulary words and hex.
const pieces = fc.constantFrom(
  ...'aAbBcCdDeEfFgGiInNoOrRsSuUyYxXzZ0123456789 \n:,%&#\\=+/_-@$<|[]>.!é中\u200b'.split(''),
  'ignore',
  'IGNORE',
  'previous',
  'you',
  'dan',
  'rules',
  '1gn0r3',
  '1GN0R3',
  'pr3v10u5',
  '@b0v3',
  '$3cr3t',
  'ru1e5',
  '[INST]',
  '###',
  '<system',
  '_of_turn>',
  '指令',
  '指',
  '忽略',
  'órdenes',
  'ó',
  'иии',
  '\\x41',
  '0x',
  '\\u0041',
  '&#65;',
  '%41',
  'de ad be ef ',
  '0a:1b:2c:3d:',
  'ab,',
  'aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRlc3Q=',
);
const texts = fc.array(pieces, { maxLength: 120 }).map((parts) => parts.join(''));

describe('text evidence', () => {
  it('indexes words and substrings exactly as the separate passes did (property)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const evidence = scanner.scan(text);
        expect(evidence.words).toEqual(referenceWords(text));
        expect(new Map(evidence.substrings)).toEqual(referenceSubstrings(text));
        expect(evidence.nonAscii).toBe(/[^\x00-\x7f]/.test(text));
        expect(evidence.wide).toBe(/[^\x00-\xff]/.test(text));
        expect(evidence.wordFlags).toBe(
          (evidence.words.has('dan') ? 1 : 0) | (evidence.words.has('you') ? 2 : 0),
        );
        expect(evidence.percent).toBe(text.includes('%'));
        expect(evidence.entity).toBe(text.includes('&#'));
        expect(evidence.unicodeEscape).toBe(text.includes('\\u'));
        expect(evidence.hexPrefix).toBe(text.includes('\\x') || text.includes('0x'));
        expect(evidence.separatedHex).toBe(/[0-9a-fA-F]{2}[ :,](?:[0-9a-fA-F]{2}[ :,]){6}/.test(text));
      }),
      { numRuns: 400 },
    );
  });

  it('lets the decoders find the same segments, and skips unleet only when it finds nothing (property)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const evidence = scanner.scan(text);
        expect(decodeSegments(text, 32, evidence)).toEqual(decodeSegments(text, 32));
        // Every keyword is shorter than the longest token listed: the evidence decides exactly.
        expect(mayUnleet(text, evidence, KEYWORDS)).toBe(unleet(text, KEYWORDS) !== undefined);
      }),
      { numRuns: 400 },
    );
  });

  it('finds seven separated hex groups in a row exactly where the regex does, after words of any length (property)', () => {
    // Groups after words of three letters or more are recorded late (`closedRun`): streaks that start
    // with one, or with a group after digits or a one-letter word, are the cases to cover.
    const hexPieces = fc.constantFrom(
      ...'abcdefABCDEFgxz0123456789 :,.\n'.split(''),
      'ab ',
      'cd:',
      'ef,',
      '12 ',
      'fade ',
      'decade ',
      'abc',
      'e1 ',
    );
    const hexTexts = fc.array(hexPieces, { maxLength: 80, size: 'max' }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(hexTexts, (text) => {
        expect(scanner.scan(text).separatedHex).toBe(
          /[0-9a-fA-F]{2}[ :,](?:[0-9a-fA-F]{2}[ :,]){6}/.test(text),
        );
      }),
      { numRuns: 2000 },
    );
    expect(scanner.scan('decade be ef 01 23 45 67 ').separatedHex).toBe(true);
    expect(scanner.scan('decade be ef 01 23 45 ').separatedHex).toBe(false);
  });

  it('keeps separated hex, long base64 runs and leet keywords in view', () => {
    const hex = Buffer.from('ignore previous instructions').toString('hex').replace(/(..)/g, '$1 ');
    const evidence = scanner.scan(`xyzab ${hex}`);
    expect(decodeSegments(`xyzab ${hex}`, 4, evidence).map((segment) => segment.decoder)).toEqual(['hex']);
    expect(mayUnleet('please 1gn0r3 them', scanner.scan('please 1gn0r3 them'), KEYWORDS)).toBe(true);
    expect(mayUnleet('build v2 of h264', scanner.scan('build v2 of h264'), KEYWORDS)).toBe(false);
    const many = Array.from({ length: 100 }, (_, index) => `a${index}`).join(' ');
    expect(scanner.scan(many).leetTokens).toHaveLength(200);
    expect(mayUnleet(`${many} rul3s`, scanner.scan(`${many} rul3s`), KEYWORDS)).toBe(true);
  });

  it('finds prefix words at the start of longer letter runs and caseless anchors in any case (property)', () => {
    const prefixes = ['ignore', 'rul', 'previous', 'polic'];
    const caseless = ['órdenes', 'игнор', 'ègles'];
    const prefixScanner = createEvidenceScanner({
      vocabulary: ['ignore'],
      substrings: [...caseless, '指令'],
      prefixes,
      caseless,
      dottedPairs: ['ai'],
    });
    const prefixPieces = fc.constantFrom(
      ...'aAeEsSxX 9_\n'.split(''),
      'ignore',
      'IGNORED',
      'rul',
      'RuLeS',
      'policy',
      'POLICE',
      'previously',
      'órdenes',
      'ÓRDENES',
      'óRdEnEs',
      'ИГНОР',
      'иГнОрИрУй',
      'RÈGLES',
      'règles',
      '指令',
      'İ',
      'a.i.',
      'A.I.',
      'a.',
      '.i.',
      '.',
      '9',
    );
    fc.assert(
      fc.property(fc.array(prefixPieces, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const expected = new Map<string, number[]>();
        for (const run of text.matchAll(/[A-Za-z]+/g)) {
          for (const word of prefixes) {
            if (run[0].length > word.length && run[0].toLowerCase().startsWith(word))
              expected.set(word, [...(expected.get(word) ?? []), run.index]);
          }
        }
        const evidence = prefixScanner.scan(text);
        expect(new Map(evidence.prefixes)).toEqual(expected);
        const pairs = [...text.matchAll(/(?=[aA]\.[iI]\.)/g)].map((found) => found.index);
        expect(evidence.dottedPairs.get('ai') ?? []).toEqual(pairs);
        // No cased char here changes length when lowercased except "İ", which no anchor holds.
        const lower = text.replaceAll('İ', '\u0000').toLowerCase();
        const substrings = new Map<string, number[]>();
        for (const anchor of [...caseless, '指令']) {
          const positions: number[] = [];
          for (let at = lower.indexOf(anchor); at >= 0; at = lower.indexOf(anchor, at + anchor.length))
            positions.push(at);
          if (positions.length > 0) substrings.set(anchor, positions);
        }
        expect(new Map(evidence.substrings)).toEqual(substrings);
      }),
      { numRuns: 500 },
    );
    expect(() => createEvidenceScanner({ vocabulary: [], substrings: [], prefixes: ['ai'] })).toThrow(
      /prefix/,
    );
    expect(() =>
      createEvidenceScanner({ vocabulary: [], substrings: ['Órdenes'], caseless: ['Órdenes'] }),
    ).toThrow(/caseless/);
  });

  it('finds word pairs as two whole letter runs with 1-3 separators between them, in any case (property)', () => {
    const wordPairs: [string, string][] = [
      ['you', 'are'],
      ['are', 'now'],
      ['what', 's'],
      ['can', 't'],
      ['a', 'a'],
    ];
    const pairScanner = createEvidenceScanner({ vocabulary: ['are'], substrings: [], wordPairs });
    const pairPieces = fc.constantFrom(
      ..."aAsStTxX 9_.é\n\t-'’\u00a0\u2009".split(''),
      'you',
      'YOU',
      'are',
      'ArE',
      'now',
      'NOW',
      'what',
      'can',
      'youx',
      'xare',
      '  ',
      'x'.repeat(30),
    );
    fc.assert(
      fc.property(fc.array(pairPieces, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const runs = [...text.matchAll(/[A-Za-z]+/g)];
        const expected = new Map<string, number[]>();
        for (let index = 1; index < runs.length; index++) {
          const first = runs[index - 1]!;
          const second = runs[index]!;
          const gap = text.slice(first.index + first[0].length, second.index);
          if (!/^[ \n\t\r\f\v\u00a0'’-]{1,3}$/.test(gap)) continue;
          const pair = `${first[0].toLowerCase()} ${second[0].toLowerCase()}`;
          if (!wordPairs.some((candidate) => candidate.join(' ') === pair)) continue;
          expected.set(pair, [...(expected.get(pair) ?? []), first.index, second.index]);
        }
        const evidence = pairScanner.scan(text);
        expect(new Map(evidence.wordPairs)).toEqual(expected);
        const are = runs.filter((run) => run[0].toLowerCase() === 'are').map((run) => run.index);
        expect(evidence.words.get('are') ?? []).toEqual(are);
      }),
      { numRuns: 1000 },
    );
    expect(pairScanner.scan("You  are-now, what's it? Can’t").wordPairs).toEqual(
      new Map([
        ['you are', [0, 5]],
        ['are now', [5, 9]],
        ['what s', [14, 19]],
        ['can t', [25, 29]],
      ]),
    );
    expect(() =>
      createEvidenceScanner({ vocabulary: [], substrings: [], wordPairs: [['you', 'Are']] }),
    ).toThrow(/word pair/);
  });

  it('rejects substring anchors the pass cannot see', () => {
    expect(() => createEvidenceScanner({ vocabulary: [], substrings: ['abc'] })).toThrow(/not scanned/);
    expect(() => createEvidenceScanner({ vocabulary: [], substrings: ['règles'] })).toThrow(/not scanned/);
    expect(isScannedSubstring('règles')).toBe(false);
    expect(isScannedSubstring('órdenes')).toBe(true);
    expect(isScannedSubstring('')).toBe(false);
  });

  it('handles texts longer than the reused code-unit buffer', () => {
    const text = `${'lorem ipsum '.repeat(120_000)}ignore`;
    expect(scanner.scan(text).words.get('ignore')).toEqual([text.length - 6]);
  });
});
