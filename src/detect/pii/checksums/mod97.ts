/**
 * Remainder of a long decimal string modulo 97, computed piecewise so no big integers are needed
 * (ISO 7064 MOD 97-10, used by IBAN per ISO 13616 and by the French NIR key).
 */
export function mod97(digits: string): number {
  let remainder = 0;
  for (let index = 0; index < digits.length; index += 7) {
    remainder = Number(`${remainder}${digits.slice(index, index + 7)}`) % 97;
  }
  return remainder;
}
