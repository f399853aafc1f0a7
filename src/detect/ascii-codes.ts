// ASCII character-class tests on UTF-16 code units, shared by the detectors' hand-written scanners
// (what a regex class such as `[A-Z]` or `\w` tests, without a regex). `NaN`, read past a text's end,
// belongs to no class.

/** `[0-9]` */
export function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `[A-Z]` */
export function isAsciiCapital(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** `[A-Za-z]` */
export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** `[A-Za-z0-9]` */
export function isAsciiAlphanumeric(code: number): boolean {
  return isAsciiDigit(code) || isAsciiLetter(code);
}

/** `\w` without the `u` flag: `[A-Za-z0-9_]`. */
export function isAsciiWordCode(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 95;
}

/** `[\w-]`: what a `(?<![\w-])` boundary refuses. */
export function isWordOrHyphen(code: number): boolean {
  return isAsciiWordCode(code) || code === 45;
}
