import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScanInput, digitWindows, matchesInWindows, stickyMatchesAt } from './scan-input.js';
import {
  numberFirstStarts,
  numberLastPatterns,
  numberLastWindows,
  STREET_ADDRESS_PATTERNS,
  streetAddressRecognizer,
} from './street-address.js';
import { ROMANCE_STREET_TYPE_WORDS } from './street-types.js';

// Addresses of every form assembled from parts, where each joint is sometimes the right character and
// sometimes a near miss, so the shortcuts meet both matches and almost-matches.
const joint = fc.oneof(
  { arbitrary: fc.constant(' '), weight: 6 },
  { arbitrary: fc.constantFrom(', ', ',', '', '-', '.', '\n', '>', '  '), weight: 4 },
);
const number = fc.constantFrom('1', '12', '1600', '12345', '123456', '5a', '7B', '٣');
const name = fc.constantFrom(
  'Main',
  'Paix',
  'Mayor',
  'Roma',
  'Élan',
  'main',
  'MAIN',
  'Berliner',
  'de la Paix',
);
const streetType = fc.constantFrom(
  'Street',
  'St.',
  'Avenue',
  'Drive',
  'rue',
  'Rue',
  'Calle',
  'Via',
  'c/',
  'Straße',
  'Str.',
);
const compound = fc.constantFrom('Hauptstraße', 'Lindenweg', 'Marktplatz', 'hauptstraße', 'Haupt');
const mark = fc.constantFrom('', 'n', 'n.', 'nº', 'n. ', 'nº ', 'no');
const tail = fc.constantFrom(
  '',
  ', Washington, DC 20500',
  ', 75002 Paris',
  ', 10115 Berlin',
  ' Apt 4',
  ' NW',
  '!',
);
const address = fc.oneof(
  // number first: "1600 Main Street", "12 bis, rue de la Paix"
  fc
    .tuple(
      number,
      fc.constantFrom('', ' bis', ' ter', 'a'),
      joint,
      fc.constantFrom('', 'N ', 'North '),
      name,
      joint,
      streetType,
      tail,
    )
    .map((parts) => parts.join('')),
  fc.tuple(number, joint, streetType, joint, name, tail).map((parts) => parts.join('')),
  // number last: "Calle Mayor 5", "Via Roma, nº 10", "Hauptstraße 5", "Berliner Str. 12a"
  fc.tuple(streetType, joint, name, joint, mark, number, tail).map((parts) => parts.join('')),
  fc.tuple(compound, joint, number, tail).map((parts) => parts.join('')),
  fc.tuple(name, joint, streetType, joint, number, tail).map((parts) => parts.join('')),
);
const filler = fc.constantFrom('', ' ', 'I live at ', 'x', 'id42', '\n', 'é ', '(', 'x-');
const text = fc.array(fc.tuple(filler, address), { maxLength: 4 }).map((parts) => parts.flat().join(''));

describe('street address shortcuts', () => {
  it('try the number-first patterns at fewer starts and find the same matches', () => {
    fc.assert(
      fc.property(text, (value) => {
        const input = createScanInput(value, 'US');
        const every = input.digitRuns.map((run) => run.start);
        for (const [pattern, form] of [
          [STREET_ADDRESS_PATTERNS.ENGLISH, 'english'],
          [STREET_ADDRESS_PATTERNS.ROMANCE_NUMBER_FIRST, 'romance'],
        ] as const) {
          expect(stickyMatchesAt({ text: value, pattern, starts: numberFirstStarts(input)[form] })).toEqual(
            stickyMatchesAt({ text: value, pattern, starts: every }),
          );
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('run the number-last patterns on fewer windows and find the same matches', () => {
    fc.assert(
      fc.property(text, (value) => {
        const input = createScanInput(value, 'US');
        for (const pattern of [STREET_ADDRESS_PATTERNS.GERMAN, STREET_ADDRESS_PATTERNS.ROMANCE_NUMBER_LAST]) {
          expect(matchesInWindows({ text: value, windows: numberLastWindows(input), pattern })).toEqual(
            matchesInWindows({
              text: value,
              windows: digitWindows({ input, before: 70, after: 6 }),
              pattern,
            }),
          );
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('skip a number-last pattern only in texts where a plain scan finds nothing', () => {
    const plainMatches = (value: string, pattern: RegExp) =>
      matchesInWindows({ text: value, windows: [{ start: 0, end: value.length }], pattern });
    fc.assert(
      fc.property(text, (value) => {
        const possible = numberLastPatterns(createScanInput(value, 'US'));
        if (!possible.german) expect(plainMatches(value, STREET_ADDRESS_PATTERNS.GERMAN)).toEqual([]);
        if (!possible.romance)
          expect(plainMatches(value, STREET_ADDRESS_PATTERNS.ROMANCE_NUMBER_LAST)).toEqual([]);
      }),
      { numRuns: 3000 },
    );
    // Every street type and German street word, in each case the patterns allow.
    const romance = ROMANCE_STREET_TYPE_WORDS.map((type) => type.replace(/\\/g, ''));
    const forms = [
      ...romance
        .flatMap((type) => [type, type[0]!.toUpperCase() + type.slice(1)])
        .map((type) => `${type} Mayor 5`),
      ...['straße', 'strasse', 'str.', 'weg', 'gasse', 'platz', 'allee', 'damm', 'chaussee'].map(
        (suffix) => `Haupt${suffix} 5`,
      ),
      ...['Straße', 'Strasse', 'Str.', 'Weg', 'Gasse', 'Platz', 'Allee', 'Ring', 'Damm'].map(
        (word) => `Berliner ${word} 5`,
      ),
    ];
    for (const form of forms) {
      const value = `I live at ${form} now.`;
      const found = [STREET_ADDRESS_PATTERNS.GERMAN, STREET_ADDRESS_PATTERNS.ROMANCE_NUMBER_LAST].map(
        (pattern) => plainMatches(value, pattern).length > 0,
      );
      expect(found.some(Boolean)).toBe(true);
      const possible = numberLastPatterns(createScanInput(value, 'US'));
      expect([possible.german || !found[0], possible.romance || !found[1]]).toEqual([true, true]);
    }
  });

  it('still finds each address form', () => {
    for (const address of [
      '1600 Pennsylvania Avenue NW, Washington, DC 20500',
      '12 rue de la Paix, 75002 Paris',
      '12, rue de la Paix',
      'Calle Mayor 5',
      'Via Roma, nº 10',
      'Hauptstraße 5, 10115 Berlin',
      'Berliner Str. 12a',
    ]) {
      const input = createScanInput(`I live at ${address} now.`, 'US');
      const found = streetAddressRecognizer.find(input);
      expect(found.map((candidate) => input.text.slice(candidate.start, candidate.end))).toContain(address);
    }
  });
});
