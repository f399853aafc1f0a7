import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWhitespace } from '../is-whitespace.js';
import { SCRIPT_URL_PATTERN, scriptUrlPossible } from './html-payloads.js';
import { linkCannotCarryData, urlFacts } from './markdown-exfiltration.js';
import { followedBySpace, includesByRareTail } from './payload-rule.js';
import { SHELL_EXFILTRATION_RULES } from './shell-exfiltration.js';
import { SHELL_INJECTION_RULES } from './shell-injection.js';
import { SQL_INJECTION_RULES } from './sql-injection.js';

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

describe('match starts', () => {
  // Around every start character: `)`, whitespace runs of every length up to six (the patterns allow
  // four), OR / || / ;, and command names in both cases after `$(` and backticks.
  const startPieces = fc.constantFrom(
    "'",
    '"',
    ')',
    '(',
    '$',
    '$(',
    '`',
    ' ',
    '\t',
    '\n',
    '\u00a0',
    '\u3000',
    'o',
    'O',
    'r',
    'R',
    'or',
    '|',
    ';',
    '1=1',
    'drop table x',
    'DELETE FROM',
    'shutdown',
    'curl ',
    'Wget ',
    'NC ',
    'rm -rf',
    'cat /etc/passwd',
    'bash -i',
    'python3 -c',
    'base64 -d',
    'x',
  );
  // Payload-shaped segments: a start, whitespace runs of zero to six characters of several kinds around
  // an optional `)`, then what the patterns look for next.
  const spaces = fc
    .array(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000'), { maxLength: 6 })
    .map((parts) => parts.join(''));
  const shaped = fc
    .tuple(
      fc.constantFrom("'", '"', '$(', '`', 'x'),
      spaces,
      fc.constantFrom('', ')'),
      spaces,
      fc.constantFrom(
        'OR',
        'or',
        '||',
        ';',
        'curl',
        'WGET',
        'Nc',
        'rm',
        'cat',
        'bash',
        'python',
        'base64',
        'x',
      ),
      spaces,
      fc.constantFrom(
        "'a'='a",
        '1=1',
        'DROP TABLE t',
        'delete from',
        'shutdown',
        '-rf',
        '/etc/passwd',
        '-i',
        '-c',
        '-d',
      ),
    )
    .map((parts) => parts.join(''));
  const startTexts = fc.array(fc.oneof(startPieces, shaped), { maxLength: 8 }).map((parts) => parts.join(''));
  const rules = [...SQL_INJECTION_RULES, ...SHELL_INJECTION_RULES, ...SHELL_EXFILTRATION_RULES].filter(
    (rule) => rule.starts,
  );

  it('every position where a rule matches is a start it allows', () => {
    expect(rules.map((rule) => rule.id).sort()).toEqual([
      'output.shell-dangerous-substitution',
      'output.shell-exfil-dns',
      'output.sql-stacked-query',
      'output.sql-tautology',
    ]);
    const sticky = rules.map((rule) => new RegExp(rule.pattern.source, 'iy'));
    fc.assert(
      fc.property(startTexts, (text) => {
        rules.forEach((rule, ruleIndex) => {
          const pattern = sticky[ruleIndex]!;
          for (let index = 0; index < text.length; index++) {
            pattern.lastIndex = index;
            if (!pattern.test(text)) continue;
            expect(rule.starts!.characters).toContain(text[index]);
            expect(rule.starts!.fits(text, index)).toBe(true);
          }
        });
      }),
      { numRuns: 4000 },
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
