import { mod97 } from './mod97.js';

/**
 * French NIR (numéro de sécurité sociale) key: 97 − (13-digit number mod 97). Corsican departments
 * 2A and 2B are replaced by 19 and 18 before the computation (INSEE rule).
 */
export function frenchNirValid(nir: string): boolean {
  const compact = nir.replace(/\s/g, '').toUpperCase();
  if (!/^[12]\d{4}(?:\d{2}|2A|2B)\d{8}$/.test(compact)) return false;
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(compact.slice(13));
  return 97 - mod97(body) === key;
}
