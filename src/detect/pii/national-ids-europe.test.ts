import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execAll } from './exec-all.js';
import {
  dniStarts,
  fiscalCodeAnchors,
  frenchNirRecognizer,
  frenchNirStarts,
  italianFiscalCodeRecognizer,
  nieStarts,
  ninoStarts,
  spanishDniRecognizer,
  spanishNieRecognizer,
  ukNinoRecognizer,
} from './national-ids-europe.js';
import { createScanInput, stickyMatchesAt } from './scan-input.js';
import { expectStartsFindWhatWindowsFind } from './test-support/window-starts.js';

// Capitals, omocodia letters and digit groups in the fiscal-code layout, with word characters around.
const texts = fc
  .array(
    fc.tuple(
      fc.constantFrom('', ' ', '_', 'a', '-', '\n', 'cf: ', 'é'),
      fc.stringMatching(/^[A-Z]{0,7}$/),
      fc.stringMatching(/^[0-9LMNPQRSTUV]{0,3}$/),
      fc.constantFrom('', 'A', 'T', 'Z', 'AB'),
      fc.stringMatching(/^[0-9]{0,3}$/),
      fc.constantFrom('', 'A', 'S', '1'),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.map((part) => part.join('')).join(''));

/** Every start a digit position allows: each digit offset before a digit run that follows a capital. */
function everyAnchor(text: string): number[] {
  const anchors: number[] = [];
  for (const run of createScanInput(text, 'US').digitRuns) {
    const before = text.charCodeAt(run.start - 1);
    if (!(before >= 65 && before <= 90)) continue;
    for (const offset of [14, 13, 12, 10, 9, 7, 6])
      if (run.start - offset >= 0) anchors.push(run.start - offset);
  }
  return [...new Set(anchors)].sort((a, b) => a - b);
}

describe('fiscal code anchors', () => {
  const sticky = italianFiscalCodeRecognizer.patterns[0]!;
  const global = new RegExp(sticky.source, 'g');

  it('find what every digit-run anchor and a scan of the whole text find', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const starts = [...new Set(fiscalCodeAnchors(createScanInput(text, 'US')))].sort((a, b) => a - b);
        const fast = stickyMatchesAt({ text, pattern: sticky, starts });
        expect(fast).toEqual(stickyMatchesAt({ text, pattern: sticky, starts: everyAnchor(text) }));
        // Codes with all seven digits replaced hold no digit run and are out of scope (see fiscalCodeAnchors).
        const withDigit = execAll(global, text).filter((match) => /[0-9]/.test(match[0]));
        expect(fast).toEqual(withDigit.map((match) => ({ value: match[0], index: match.index })));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds codes whose digit runs all begin after omocodia letters', () => {
    const text = 'cf AAAAAAMMASMPT00A and BBBBBBL1ASM';
    const starts = fiscalCodeAnchors(createScanInput(text, 'US'));
    expect(
      stickyMatchesAt({ text, pattern: sticky, starts: [...new Set(starts)].sort((a, b) => a - b) }),
    ).toEqual([{ value: 'AAAAAAMMASMPT00A', index: 3 }]);
  });

  it('keeps codes with omocodia letters and drops starts inside words', () => {
    const text = 'cf RSSMRA85T10A562S, MRTMTT91D08F20LJ and xRSSMRA85T10A562S';
    const starts = fiscalCodeAnchors(createScanInput(text, 'US'));
    expect(starts.length).toBeLessThan(everyAnchor(text).length);
    expect(stickyMatchesAt({ text, pattern: sticky, starts }).map((match) => match.index)).toEqual([3, 21]);
  });
});

describe('NIE and DNI starts', () => {
  // Prefix letters (allowed and refused), hyphens, spaces and digit groups of every length, with a long
  // number nearby so the texts have windows.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', ' ', '-', '_', 'a', 'AB', 'AB ', 'QQ', 'AO', 'X', 'Y-', 'Z', 'XX-', 'nino '),
        fc.stringMatching(/^[0-9]{1,8}$/),
        fc.constantFrom(
          '',
          ' ',
          '-',
          'A',
          'D',
          'L',
          ' C',
          '-L',
          ' 12',
          ' 34 56 B',
          ' 1234567',
          '12345678Z',
          '0'.repeat(40),
        ),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));

  for (const [recognizer, starts, windowStarts] of [
    [spanishNieRecognizer, nieStarts, false],
    [spanishDniRecognizer, dniStarts, true],
  ] as const) {
    it(`${recognizer.name}: find what a scan of each long-number window finds`, () => {
      expectStartsFindWhatWindowsFind({ patterns: recognizer.patterns, starts, texts, windowStarts });
    });
  }

  it('finds hyphenated and compact forms', () => {
    const text = 'nino AB 12 34 56 C and AB123456C, nie X-1234567-L and Y1234567X 00000000';
    const input = createScanInput(text, 'US');
    expect(nieStarts(input)).toEqual([38, 54]);
  });
});

describe('NIR starts', () => {
  // Digit groups with the separators the patterns allow, word characters, hyphens and Corsican 2A/2B
  // before and after them; long runs and filler make windows that begin and end inside words and runs.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', ' ', '-', '_', 'a', 'x ', '.', 'nir ', 'steuer-id '),
        fc.stringMatching(/^[0-9]{1,13}$/),
        fc.constantFrom(
          '',
          ' ',
          '-',
          'A',
          ' 2A',
          ' 2B 123',
          ' 123 456 78',
          '.5',
          '9'.repeat(40),
          'q'.repeat(40),
        ),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));

  for (const [recognizer, starts] of [[frenchNirRecognizer, frenchNirStarts]] as const) {
    it(`${recognizer.name}: find what a scan of each long-number window finds`, () => {
      expectStartsFindWhatWindowsFind({ patterns: recognizer.patterns, starts, texts, windowStarts: true });
    });
  }

  it('starts at runs opening with 1 or 2 after no word character', () => {
    const text = 'nir 1 85 05 78 006 084 91, x2 85 and -2 85';
    expect(frenchNirStarts(createScanInput(text, 'US'))).toEqual([4, 38]);
  });
});

describe('NINO starts', () => {
  // Prefix letters (allowed, refused, lowercase, three capitals), spaces, digit pairs and suffix letters;
  // long runs and filler make windows that begin and end inside words and runs.
  const texts = fc
    .array(
      fc.tuple(
        fc.constantFrom('', ' ', 'AB', 'AB ', 'QQ', 'XAB', 'ab', 'A', 'CE ', '_AB', 'nino '),
        fc.stringMatching(/^[0-9]{1,7}$/),
        fc.constantFrom('', ' ', 'C', ' D', ' 34 56 A', '3456B', ' 34 56', '9'.repeat(40), 'Q'.repeat(40)),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.map((part) => part.join('')).join(''));

  it('uk-nino: find what a scan of each long-number window finds', () => {
    expectStartsFindWhatWindowsFind({ patterns: ukNinoRecognizer.patterns, starts: ninoStarts, texts });
    expect(ninoStarts(createScanInput('nino AB 12 34 56 C and CE123456D', 'US'))).toEqual([5, 23]);
  });
});
