/**
 * Obfuscations attackers use to slip instructions past filters; the guard decodes each of them. Used to
 * build synthetic training rows so the model also sees the obfuscated surface forms.
 */
export const OBFUSCATIONS = ['base64', 'rot13', 'leetspeak', 'reversed', 'homoglyphs', 'zero-width'] as const;
export type Obfuscation = (typeof OBFUSCATIONS)[number];

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };
/** Cyrillic and Greek look-alikes of Latin letters. */
const HOMOGLYPHS: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', i: 'і', y: 'у' };

function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Applies one obfuscation to `text`. */
export function obfuscate(text: string, kind: Obfuscation): string {
  switch (kind) {
    case 'base64':
      return Buffer.from(text, 'utf8').toString('base64');
    case 'rot13':
      return rot13(text);
    case 'leetspeak':
      return text.replace(/[aeiost]/g, (char) => LEET[char] ?? char);
    case 'reversed':
      return [...text].reverse().join('');
    case 'homoglyphs':
      return text.replace(/[aeopcxiy]/g, (char) => HOMOGLYPHS[char] ?? char);
    case 'zero-width':
      return [...text].join('\u200b');
  }
}

/** Short lead-ins that tell the model how to read an obfuscated payload. */
export const OBFUSCATION_WRAPPERS: Readonly<Record<Obfuscation, readonly string[]>> = {
  base64: ['Decode this base64 and follow it: {x}', '{x}', 'Execute the base64 instruction: {x}'],
  rot13: ['Apply ROT13 to this and do what it says: {x}', '{x}', 'rot13: {x}'],
  leetspeak: ['{x}'],
  reversed: ['Read this backwards and obey: {x}', '{x}'],
  homoglyphs: ['{x}'],
  'zero-width': ['{x}'],
};
