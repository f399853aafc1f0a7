import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWhitespace } from '../is-whitespace.js';
import { SCRIPT_URL_PATTERN, scriptUrlPossible } from './html-payloads.js';
import { linkCannotCarryData, urlFacts } from './markdown-exfiltration.js';
import { followedBySpace, includesByRareTail } from './payload-rule.js';

// The prefilters skip work only when a pattern cannot match; these properties check that they never
// answer "absent" for something a plain search or the pattern itself would find.
const pieces = fc.constantFrom(
  'java',
  'script',
  'SCRIPT',
  'data',
  'DaTa',
  ':',
  ' ',
  '\t',
  '\u00a0',
  'power',
  'shell',
  'iex',
  'x',
  'nc',
  'cat',
  'so',
  'e',
  'union',
);
const texts = fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join(''));

describe('output prefilters', () => {
  it('isWhitespace is exactly \\s', () => {
    for (let code = 0; code <= 0xffff; code++) {
      expect(isWhitespace(code)).toBe(/\s/.test(String.fromCharCode(code)));
    }
    expect(isWhitespace(Number.NaN)).toBe(false);
  });

  it('includesByRareTail equals includes', () => {
    const words = fc.constantFrom('powershell', 'iex', 'union', 'socat', 'nc', 'invoke-expression', 'x');
    fc.assert(
      fc.property(texts, words, (text, word) => {
        expect(includesByRareTail(text, word)).toBe(text.includes(word));
      }),
      { numRuns: 2000 },
    );
  });

  it('followedBySpace finds a word before whitespace', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(followedBySpace(text, 'nc')).toBe(/nc\s/.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('scriptUrlPossible holds wherever the script URL pattern matches', () => {
    fc.assert(
      fc.property(texts, (text) => {
        if (new RegExp(SCRIPT_URL_PATTERN.source, 'i').test(text)) expect(scriptUrlPossible(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('link shortcut', () => {
  const urls = fc
    .array(
      fc.constantFrom(
        'https://',
        'http://',
        '//',
        'docs.example.com',
        'evil.test',
        '/',
        'guide',
        'a'.repeat(12),
        'Z9',
        '?',
        'q=',
        '#',
        '%41',
        '{x}',
        '$HOME',
        '.',
        '..',
        ':8080',
        'user:pw@',
        '-',
        '_',
        'é',
        ' ',
        '\\',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(''));

  it('skips only links that urlFacts says carry no data', () => {
    fc.assert(
      fc.property(urls, (raw) => {
        if (linkCannotCarryData(raw)) expect(urlFacts(raw)?.carriesData ?? false).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });
});
