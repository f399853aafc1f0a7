const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** UTF-8 as the unpickler decodes BINUNICODE ('surrogatepass' → replacement is close enough for names). */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Latin-1, how BINSTRING payloads map to text under encoding='latin1' and for display. */
export function decodeLatin1(bytes: Uint8Array): string {
  return latin1.decode(bytes);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/**
 * Decodes the operand of protocol 0 STRING: a Python repr with matching quotes, escapes as in
 * codecs.escape_decode (Lib/pickle.py load_string). Returns null when the quoting is invalid, which
 * makes the real unpickler fail too.
 */
export function decodeQuotedString(line: Uint8Array): string | null {
  const text = decodeLatin1(line);
  if (text.length < 2) return null;
  const quote = text[0];
  if ((quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) return null;
  const body = text.slice(1, -1);
  let result = '';
  for (let index = 0; index < body.length; index++) {
    const character = body[index] as string;
    if (character !== '\\') {
      result += character;
      continue;
    }
    const next = body[index + 1];
    if (next === undefined) return null;
    if (next in SIMPLE_ESCAPES) {
      result += SIMPLE_ESCAPES[next];
      index++;
    } else if (next === 'x') {
      const hex = body.slice(index + 2, index + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      result += String.fromCharCode(Number.parseInt(hex, 16));
      index += 3;
    } else if (next >= '0' && next <= '7') {
      const octal = /^[0-7]{1,3}/.exec(body.slice(index + 1, index + 4))?.[0] ?? '0';
      result += String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
      index += octal.length;
    } else {
      result += `\\${next}`;
      index++;
    }
  }
  return result;
}

/** Decodes protocol 0 UNICODE: 'raw-unicode-escape' (only \uXXXX and \UXXXXXXXX are escapes). */
export function decodeRawUnicodeEscape(line: Uint8Array): string {
  const text = decodeLatin1(line);
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (whole, short?: string, long?: string) => {
    const code = Number.parseInt(short ?? long ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
