/**
 * Check character of the Italian codice fiscale (D.M. 23/12/1976, allegato): characters at odd
 * positions (1st, 3rd, …) and even positions map through two tables; the sum mod 26 is the letter.
 */
const ODD_VALUES: Readonly<Record<string, number>> = {
  '0': 1,
  '1': 0,
  '2': 5,
  '3': 7,
  '4': 9,
  '5': 13,
  '6': 15,
  '7': 17,
  '8': 19,
  '9': 21,
  A: 1,
  B: 0,
  C: 5,
  D: 7,
  E: 9,
  F: 13,
  G: 15,
  H: 17,
  I: 19,
  J: 21,
  K: 2,
  L: 4,
  M: 18,
  N: 20,
  O: 11,
  P: 3,
  Q: 6,
  R: 8,
  S: 12,
  T: 14,
  U: 16,
  V: 10,
  W: 22,
  X: 25,
  Y: 24,
  Z: 23,
};

function evenValue(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65;
}

/** True when the 16th character of an uppercase codice fiscale is its check character. */
export function codiceFiscaleValid(code: string): boolean {
  if (!/^[A-Z0-9]{16}$/.test(code)) return false;
  let sum = 0;
  for (let index = 0; index < 15; index += 1) {
    const char = code[index]!;
    sum += index % 2 === 0 ? (ODD_VALUES[char] ?? 0) : evenValue(char);
  }
  return String.fromCharCode(65 + (sum % 26)) === code[15];
}
