import { describe, expect, it } from 'vitest';
import {
  isAsciiAlphanumeric,
  isAsciiCapital,
  isAsciiDigit,
  isAsciiLetter,
  isAsciiWordCode,
  isWordOrHyphen,
} from './ascii-codes.js';

const CLASSES: [string, (code: number) => boolean, RegExp][] = [
  ['isAsciiDigit', isAsciiDigit, /[0-9]/],
  ['isAsciiCapital', isAsciiCapital, /[A-Z]/],
  ['isAsciiLetter', isAsciiLetter, /[A-Za-z]/],
  ['isAsciiAlphanumeric', isAsciiAlphanumeric, /[A-Za-z0-9]/],
  ['isAsciiWordCode', isAsciiWordCode, /\w/],
  ['isWordOrHyphen', isWordOrHyphen, /[\w-]/],
];

describe('ASCII code classes', () => {
  it.each(CLASSES)('%s agrees with its regex class on every UTF-16 code unit', (_name, test, pattern) => {
    for (let code = 0; code <= 0xffff; code++) {
      if (test(code) !== pattern.test(String.fromCharCode(code))) expect.fail(`code ${code}`);
    }
    expect(test(Number.NaN)).toBe(false);
  });
});
