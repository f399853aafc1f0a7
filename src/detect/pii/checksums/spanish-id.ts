// Spanish DNI and NIE control letter (Real Decreto 1553/2005, art. 11): number mod 23 indexes this table.
const LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** True when `letter` is the control letter of the 8-digit DNI number `digits`. */
export function dniLetterValid(digits: string, letter: string): boolean {
  if (!/^\d{8}$/.test(digits)) return false;
  return LETTERS[Number(digits) % 23] === letter.toUpperCase();
}

/** True for a NIE like `X1234567L`: the leading X/Y/Z stands for 0/1/2 in the mod 23 computation. */
export function nieValid(nie: string): boolean {
  const match = /^([XYZ])(\d{7})([A-Z])$/.exec(nie.toUpperCase());
  if (!match) return false;
  const prefix = String('XYZ'.indexOf(match[1]!));
  return dniLetterValid(`${prefix}${match[2]}`, match[3]!);
}
