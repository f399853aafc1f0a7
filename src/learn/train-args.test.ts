import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAegisError } from '../spec/errors.js';
import { parseTrainArgs } from './train-args.js';

const repository = new URL('../../', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'aegis-train-args-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function errorOf(argv: string[]): unknown {
  try {
    parseTrainArgs(argv);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('training script arguments', () => {
  it('reads the documented reproduction command', () => {
    expect(parseTrainArgs(['--data', '../shared/data', '--seed', '1', '--hyper', '12,0.05,0.00001'])).toEqual(
      {
        help: false,
        data: '../shared/data',
        seed: 1,
        out: 'models',
        hyper: { epochs: 12, learningRate: 0.05, l2: 0.00001 },
      },
    );
    expect(parseTrainArgs(['--help']).help).toBe(true);
    expect(parseTrainArgs(['--data', 'd', '--features', '18,3,5', '--window', '2048'])).toMatchObject({
      features: { bits: 18, charMin: 3, charMax: 5 },
      window: 2048,
    });
  });

  it('refuses every malformed argument with AEGIS_INVALID_ARGUMENT and the usage', () => {
    const cases: string[][] = [
      [],
      ['--data'],
      ['--bogus'],
      ['--data', 'd', '--seed', 'abc'],
      ['--data', 'd', '--seed', '12abc'],
      ['--data', 'd', '--hyper', '12,0.05'],
      ['--data', 'd', '--hyper', 'a,b,c'],
      ['--data', 'd', '--hyper', '0,0.05,0'],
      ['--data', 'd', '--window', '-5'],
      ['--data', 'd', '--features', '18,5,3'],
      ['--data', 'd', '--grammar-rows', 'many'],
    ];
    for (const argv of cases) {
      const error = errorOf(argv);
      expect(isAegisError(error, 'AEGIS_INVALID_ARGUMENT'), argv.join(' ')).toBe(true);
      expect((error as Error).message, argv.join(' ')).toContain('usage: npm run train');
    }
  });

  it('the script prints usage errors and a missing data folder without a stack trace, exit 2', () => {
    const run = (argv: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...argv], {
        cwd: repository,
        encoding: 'utf8',
        timeout: 30_000,
      });
    for (const argv of [['--bogus'], ['--data', join(scratch, 'missing')], ['--data', scratch]]) {
      const result = run(argv);
      expect(result.status, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(
        /^train: .*\[AEGIS_(INVALID_ARGUMENT|DATASET_MISSING)\]/s,
      );
      expect(result.stderr, argv.join(' ')).not.toMatch(/\n\s+at /);
    }
  });
});
