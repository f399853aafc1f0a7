/**
 * ISO/IEC 7064 MOD 11,10 hybrid check digit, used by the German tax identification number
 * (Steuerliche Identifikationsnummer, § 139b AO). Returns true when the last digit checks the rest.
 */
export function iso7064Mod11And10Valid(digits: string): boolean {
  if (digits.length < 2 || !/^\d+$/.test(digits)) return false;
  let product = 10;
  for (let index = 0; index < digits.length - 1; index += 1) {
    let sum = (digits.charCodeAt(index) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === digits.charCodeAt(digits.length - 1) - 48;
}
