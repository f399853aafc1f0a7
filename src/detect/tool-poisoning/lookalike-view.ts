/**
 * Letters that read as Latin ones but that the shared normalizer does not fold (it folds Cyrillic and
 * Greek in mixed words, and NFKC the compatibility forms): small capitals, IPA letters, Cherokee and Lisu
 * capitals. Each maps to one Latin letter of the same UTF-16 length, so spans stay as they are.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [...'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ'].map((letter, index) => [letter, 'abcdefghijklmnoprstuvwyz'[index]!]),
  ),
  ɑ: 'a',
  ɡ: 'g',
  ı: 'i',
  ȷ: 'j',
  ɩ: 'i',
  ʋ: 'v',
  Ꭰ: 'D',
  Ꭱ: 'R',
  Ꭲ: 'T',
  Ꭺ: 'A',
  Ꭼ: 'E',
  Ꮃ: 'W',
  Ꮋ: 'H',
  Ꮪ: 'S',
  Ꮮ: 'L',
  Ꮇ: 'M',
  Ꮯ: 'C',
  Ꮲ: 'P',
  Ꮩ: 'V',
  Ꮶ: 'K',
  Ꮐ: 'G',
  Ꮓ: 'Z',
  Ᏼ: 'B',
  Ꭻ: 'J',
  ꓐ: 'B',
  ꓑ: 'P',
  ꓒ: 'd',
  ꓓ: 'D',
  ꓔ: 'T',
  ꓖ: 'G',
  ꓗ: 'K',
  ꓙ: 'J',
  ꓚ: 'C',
  ꓜ: 'Z',
  ꓝ: 'F',
  ꓟ: 'M',
  ꓠ: 'N',
  ꓡ: 'L',
  ꓢ: 'S',
  ꓣ: 'R',
  ꓦ: 'V',
  ꓧ: 'H',
  ꓪ: 'W',
  ꓫ: 'X',
  ꓬ: 'Y',
  ꓮ: 'A',
  ꓰ: 'E',
  ꓲ: 'I',
  ꓳ: 'O',
  ꓴ: 'U',
};
const LOOKALIKE_PATTERN = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu');
/**
 * Characters that stand for a letter inside a lowercase word: a capital `I` after a lowercase letter
 * (`teIl`), and the digits of leetspeak between two letters (`t3ll`, `n0t`). Only a view for the phrase
 * rules: `getID` or `ed25519` read this way form no instruction.
 */
const IN_WORD = /(?<=[a-z])(?:I|[013457](?=[a-z]))/g;
const IN_WORD_LETTERS: Readonly<Record<string, string>> = {
  I: 'l',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
};

/**
 * The text with the lookalikes above read as Latin letters (same length, so spans stay valid), for the
 * tool-poisoning phrase rules only: `ᴛᴇʟʟ the user`, `Ꭰo not teIl the user` read like the plain words.
 */
export function lookalikeView(text: string): string {
  return text
    .replace(LOOKALIKE_PATTERN, (letter) => LOOKALIKES[letter] ?? letter)
    .replace(IN_WORD, (character) => IN_WORD_LETTERS[character] ?? character);
}
